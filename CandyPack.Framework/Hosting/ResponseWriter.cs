using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>Writes a regular (non-streamed) response; the one place the value-to-content-type rules live.</summary>
internal static class ResponseWriter
{
    public const string Html = "text/html; charset=utf-8";
    public const string Json = "application/json; charset=utf-8";
    public const string OctetStream = "application/octet-stream";

    public static Task WriteAsync(HttpContext context, PendingResponse pending, JsonSerializerOptions json)
    {
        var response = context.Response;
        response.StatusCode = pending.Status;
        if (pending.Location is not null)
        {
            response.Headers.Location = pending.Location;
            return Task.CompletedTask;
        }

        switch (pending.Value)
        {
            case null:
                if (pending.Status == StatusCodes.Status200OK)
                {
                    response.StatusCode = StatusCodes.Status204NoContent;
                }

                return Task.CompletedTask;
            case string text:
                response.ContentType = pending.ContentType ?? Html;
                return response.WriteAsync(text, context.RequestAborted);
            case byte[] bytes:
                response.ContentType = pending.ContentType ?? OctetStream;
                response.ContentLength = bytes.Length;
                return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
            case ReadOnlyMemory<byte> memory:
                response.ContentType = pending.ContentType ?? OctetStream;
                response.ContentLength = memory.Length;
                return response.Body.WriteAsync(memory, context.RequestAborted).AsTask();
            case Stream stream:
                response.ContentType = pending.ContentType ?? OctetStream;
                return CopyAsync(stream, response, context.RequestAborted);
            case IResult result:
                return result.ExecuteAsync(context);
            default:
                return response.WriteAsJsonAsync(pending.Value, pending.Value.GetType(), json, Json, context.RequestAborted);
        }
    }

    private static async Task CopyAsync(Stream source, HttpResponse response, CancellationToken cancellationToken)
    {
        await using (source)
        {
            await source.CopyToAsync(response.Body, cancellationToken);
        }
    }
}
