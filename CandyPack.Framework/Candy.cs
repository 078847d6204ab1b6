using System.Net;
using System.Text.Json;
using CandyPack.Hosting;
using CandyPack.Routing;
using Microsoft.AspNetCore.Http;

namespace CandyPack;

/// <summary>
/// The per-request facade a controller or inline route receives: streaming (<c>Stream</c>), responses
/// (<see cref="Return(object?, int)"/>, <see cref="Abort(int, string?)"/>, <see cref="Redirect(string, bool)"/>),
/// request values, the matched <see cref="Route"/> and the <c>Mysql</c> query builder.
/// </summary>
/// <remarks>
/// One response per request: a regular response (<c>Return</c>, <c>Abort</c>, <c>Redirect</c> or a returned value)
/// or a stream, never both. Mixing them throws <see cref="InvalidOperationException"/> at the second call.
/// Once the response has ended (answered, streamed to its end, or timed out), every member that touches the request or
/// the response throws <see cref="InvalidOperationException"/>: the connection may already carry the next request.
/// </remarks>
public sealed partial class Candy
{
    private readonly SiteRuntime _site;
    private readonly HttpContext _context;
    private CancellationTokenSource? _timeout;
    private PendingResponse? _response;
    private RequestBody? _body;
    private volatile bool _revoked;

    /// <summary>What the route's endpoint keeps of the request until its end.</summary>
    internal RouteRequestState Endpoint;

    internal Candy(HttpContext context, SiteRuntime site, RouteInfo route)
    {
        _context = context;
        _site = site;
        Route = route;
    }

    /// <summary>The underlying ASP.NET Core context, for anything the facade does not cover.</summary>
    /// <exception cref="InvalidOperationException">The response already ended (see <see cref="Candy"/>).</exception>
    public HttpContext HttpContext => Live();

    /// <summary>The route that matched this request.</summary>
    public RouteInfo Route { get; }

    /// <summary>
    /// Cancelled when the client goes away or the request exceeds its timeout (<c>request.timeout</c> in
    /// config.json). Pass it to anything slow the controller awaits.
    /// </summary>
    public CancellationToken Aborted
    {
        get
        {
            var timeout = Volatile.Read(ref _timeout);
            if (timeout is null)
            {
                // After the end the context may serve the next request: linking to its token would be wrong.
                var created = _revoked ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(_context.RequestAborted);
                timeout = Interlocked.CompareExchange(ref _timeout, created, null) ?? created;
                if (!ReferenceEquals(timeout, created))
                {
                    created.Dispose();
                }
            }

            if (_revoked)
            {
                timeout.Cancel();
            }

            return timeout.Token;
        }
    }

    /// <summary>The request method, such as <c>GET</c>.</summary>
    public string Method => Live().Request.Method;

    /// <summary>The request path, such as <c>/users/42</c>.</summary>
    public string Path => Live().Request.Path.Value ?? "/";

    /// <summary>The client's IP address, or <see langword="null"/> when the transport has none.</summary>
    public IPAddress? Ip => Live().Connection.RemoteIpAddress;

    /// <summary>The site's folder on disk (where config.json and public/ are), for reading the site's own files.</summary>
    public string SiteFolder => _site.Folder;

    internal SiteRuntime Site => _site;

    /// <summary>The request's context for the endpoint, which ends it: readable after <see cref="RevokeRequest"/>.</summary>
    internal HttpContext RequestContext => _context;

    /// <summary>The form or JSON body, read the first time something asks for it.</summary>
    internal RequestBody Body => _body ??= RequestBody.Of(Live().Request, _site.Options.Request.MaxBodySize, Aborted);

    internal bool HasResponse => _response is not null;

    /// <summary>
    /// A request value by key, looked up in order in the route values (<c>{id}</c>), the query string,
    /// a form body and the top-level properties of a JSON body. <see langword="null"/> when none has it.
    /// The body is read the first time a lookup reaches it.
    /// </summary>
    /// <param name="key">The name, matched case-insensitively for query, form and route values.</param>
    /// <exception cref="BadHttpRequestException">The body is malformed (400) or too large (413); left uncaught, that is the response.</exception>
    public string? Request(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var request = Live().Request;
        if (request.RouteValues.TryGetValue(key, out var routeValue) && routeValue is not null)
        {
            return Convert.ToString(routeValue, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (request.Query.TryGetValue(key, out var query))
        {
            return query.ToString();
        }

        return Body.Get(key);
    }

    /// <summary>The JSON request body deserialised as <typeparamref name="T"/> (web defaults), or default when there is none.</summary>
    /// <exception cref="BadHttpRequestException">The body is malformed or does not fit <typeparamref name="T"/> (400), or is too large (413); left uncaught, that is the response.</exception>
    public T? Json<T>()
    {
        Live();
        return Body.Deserialize<T>(_site.JsonOptions);
    }

    /// <summary>A request header's value, or <see langword="null"/> when absent.</summary>
    public string? Header(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Live().Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
    }

    /// <summary>A request cookie's value, or <see langword="null"/> when absent.</summary>
    public string? Cookie(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Live().Request.Cookies[name];
    }

    /// <summary>
    /// Sends a regular response once the controller finishes: a string as <c>text/html</c>, bytes as
    /// <c>application/octet-stream</c>, <see langword="null"/> as 204 No Content, anything else as JSON.
    /// Returning the value from an <see cref="IController{TResult}"/> does the same.
    /// </summary>
    /// <param name="value">The body.</param>
    /// <param name="status">The status code; 200 by default.</param>
    /// <exception cref="InvalidOperationException">A stream or another response was already started.</exception>
    public void Return(object? value, int status = StatusCodes.Status200OK) =>
        SetResponse(new PendingResponse(value, status, null) { Source = nameof(Return) });

    /// <summary>Ends the request with <paramref name="status"/> and an optional plain-text message.</summary>
    /// <exception cref="InvalidOperationException">A stream or another response was already started.</exception>
    public void Abort(int status, string? message = null) =>
        SetResponse(new PendingResponse(message, status, null, "text/plain; charset=utf-8") { Source = nameof(Abort) });

    /// <summary>Redirects the client to <paramref name="url"/> (302, or 301 when <paramref name="permanent"/>).</summary>
    /// <exception cref="InvalidOperationException">A stream or another response was already started.</exception>
    public void Redirect(string url, bool permanent = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        SetResponse(new PendingResponse(null, permanent ? StatusCodes.Status301MovedPermanently : StatusCodes.Status302Found, url) { Source = nameof(Redirect) });
    }

    /// <summary>
    /// Takes the request away from the handler: from now on every member touching the request or response throws, and
    /// <see cref="Aborted"/> is cancelled. The endpoint calls it when the response is complete or has timed out.
    /// </summary>
    internal void RevokeRequest()
    {
        _revoked = true;
        Volatile.Read(ref _timeout)?.Cancel();
    }

    /// <summary>Releases the timeout source once the handler can no longer use it.</summary>
    internal void Release()
    {
        _body?.Dispose();
        _timeout?.Dispose();
    }

    /// <summary>Writes the regular response: the one set with Return/Abort/Redirect, else the controller's value.</summary>
    internal Task WriteResponseAsync(object? returned)
    {
        var response = _response;
        if (response is null)
        {
            response = new PendingResponse(returned, StatusCodes.Status200OK, null);
        }
        else if (returned is not null)
        {
            throw new InvalidOperationException(
                $"{Route}: the controller called {response.Source} and also returned a value. Use one of them.");
        }

        return ResponseWriter.WriteAsync(Live(), response, _site.JsonOptions);
    }

    /// <summary>The request's context while its response is still this handler's to give.</summary>
    private HttpContext Live() => _revoked
        ? throw new InvalidOperationException(
            $"{Route}: the response already ended (it was answered, its stream closed, or the request timed out), so the request and response " +
            "can no longer be used. Do not keep the candy of a finished request; a timed-out handler should stop when candy.Aborted is cancelled.")
        : _context;

    private void SetResponse(PendingResponse response)
    {
        var source = response.Source;
        Live();
        EnsureNoStream(source);
        if (_response is not null)
        {
            throw new InvalidOperationException($"{Route}: {source} was called after {_response.Source}; a request has one response.");
        }

        _response = response;
    }

    private partial void EnsureNoStream(string source);
}
