namespace LifecycleExtra;

/// <summary>A type from a dependency of the lifecycle site; without this assembly the site's types cannot load.</summary>
public abstract class Marker
{
}
