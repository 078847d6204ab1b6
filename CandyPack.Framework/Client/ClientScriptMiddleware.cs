using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CandyPack.Client;

/// <summary>
/// Serves the browser client to every site from the framework's embedded resources: <c>/_candy/candy.js</c> and
/// <c>/_candy/candy.esm.js</c>, with a strong ETag so browsers revalidate cheaply after a short cache period.
/// </summary>
internal sealed class ClientScriptMiddleware(RequestDelegate next)
{
    public const string PathPrefix = "/_candy";

    private static readonly Dictionary<string, Script> Scripts = Load("candy.js", "candy.esm.js");

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal, out var rest) ||
            !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) ||
            !Scripts.TryGetValue(rest.Value?.TrimStart('/') ?? string.Empty, out var script))
        {
            return next(context);
        }

        var response = context.Response;
        response.ContentType = "text/javascript; charset=utf-8";
        response.Headers.CacheControl = "public, max-age=300";
        response.Headers.ETag = script.ETag;
        if (request.Headers.IfNoneMatch.ToString().Contains(script.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentLength = script.Bytes.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(script.Bytes).AsTask();
    }

    private static Dictionary<string, Script> Load(params string[] names)
    {
        var assembly = typeof(ClientScriptMiddleware).Assembly;
        var scripts = new Dictionary<string, Script>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var resource = assembly.GetManifestResourceStream("CandyPack.Client." + name)
                ?? throw new InvalidOperationException($"The embedded resource CandyPack.Client.{name} is missing from {assembly.GetName().Name}; Client/*.js must be embedded.");
            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            var bytes = copy.ToArray();
            scripts[name] = new Script(bytes, new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"").ToString());
        }

        return scripts;
    }

    private sealed record Script(byte[] Bytes, string ETag);
}
