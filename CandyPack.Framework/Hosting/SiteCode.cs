using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Hosting;

/// <summary>Runs what a site's own code does while it loads, turning its failures into startup errors that name the site and the type.</summary>
internal static class SiteCode
{
    /// <summary>The site assembly's types; a dependency missing from the build output fails here with its name, not later with a type load error.</summary>
    public static Type[] Types(SiteDefinition definition)
    {
        try
        {
            return definition.Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var reasons = e.LoaderExceptions.OfType<Exception>().Select(x => x.Message).Distinct().ToList();
            throw new CandyStartupException(
                $"Site {definition.Name} ({definition.Folder}): {e.Types.Count(t => t is null)} type(s) of {definition.Assembly.GetName().Name} could not be loaded. " +
                $"Is a dependency missing from the build output? {string.Join(" ", reasons)}",
                e);
        }
    }

    /// <summary>Lets each <see cref="ISiteStartup"/> of the site add its services.</summary>
    public static void RunStartups(SiteDefinition definition, Type[] types, ServiceCollection services, IConfiguration configuration)
    {
        foreach (var startup in types.Where(t => typeof(ISiteStartup).IsAssignableFrom(t) && !t.IsAbstract && definition.Contains(t)))
        {
            try
            {
                ((ISiteStartup)Activator.CreateInstance(startup)!).ConfigureServices(services, configuration);
            }
            catch (Exception e) when (e is not CandyStartupException)
            {
                var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new CandyStartupException($"{startup.FullName}.ConfigureServices failed: {error.GetType().Name}: {error.Message}", error);
            }
        }
    }
}
