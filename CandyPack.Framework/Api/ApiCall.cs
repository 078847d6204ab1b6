using CandyPack.Hosting;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Api;

/// <summary>One server API request: its context, the site the Host header picked, and its cancellation (the client leaving or <c>request.timeout</c>).</summary>
internal sealed record ApiCall(HttpContext Context, SiteRuntime Site, CancellationToken Aborted)
{
    public Channels.ChannelHub Channels => Site.Channels;
}
