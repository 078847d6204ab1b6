using CandyPack.Benchmarks.Servers;

namespace CandyPack.Benchmarks.PresenceSite.Route;

/// <summary>
/// The presence scenario's site, apart from the main benchmark site so that no other scenario pays for its
/// authentication: a room with presence (<c>channels.presence</c>), an identical channel without it, an observer that
/// asks for join and leave, and the room's presence list as JSON. The baseline maps the same paths where it has them.
/// </summary>
internal sealed class Www : RouteFile
{
    protected override void Map()
    {
        Route.Get(PresenceRooms.Room.Path, candy => PresenceRooms.Room.Subscribe(candy, new SubscribeOptions { Info = new PresenceInfo(candy.Request("user")) }));
        Route.Get(PresenceRooms.Plain.Path, candy => PresenceRooms.Plain.Subscribe(candy));
        Route.Get(PresenceRooms.ObservePath, candy => PresenceRooms.Room.Subscribe(candy, new SubscribeOptions { JoinLeave = true }));
        Route.Get(PresenceRooms.ListPath, async candy => await candy.Channel(PresenceRooms.Room.Name).Presence());
    }
}
