using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace CandyPack.Client;

/// <summary>
/// Serves the browser client to every site from the framework's embedded files through ASP.NET Core's static file
/// middleware (ETag, Last-Modified, HEAD and ranges): <c>/_candy/candy.js</c> (a classic script defining the global
/// <c>Candy</c>) and <c>/_candy/candy.esm.js</c> (the ES module it is built from, <c>clients/js/src/candy.js</c>).
/// </summary>
internal static class ClientScripts
{
    public const string PathPrefix = "/_candy";

    /// <summary>Seconds a browser may use its copy before revalidating with the ETag.</summary>
    private const string CacheControl = "public, max-age=300";

    public static void Use(IApplicationBuilder app) => app.UseStaticFiles(Options(
        new EmbeddedFileProvider(typeof(ClientScripts).Assembly, "CandyPack.Client"), PathPrefix, CacheControl));

    /// <summary>Static file options for embedded files: UTF-8 JavaScript and CSS, and a Cache-Control header.</summary>
    internal static StaticFileOptions Options(IFileProvider files, string requestPath, string cacheControl)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        return new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = requestPath,
            ContentTypeProvider = types,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = cacheControl,
        };
    }
}
