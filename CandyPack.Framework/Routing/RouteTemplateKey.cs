using System.Text;
using Microsoft.AspNetCore.Routing.Patterns;

namespace CandyPack.Routing;

/// <summary>
/// What a parsed route template matches, with parameter names left out: <c>/dup/{id}</c> and <c>/Dup/{name}/</c>
/// have the same key, because routing would find both for every request and could not choose.
/// </summary>
internal static class RouteTemplateKey
{
    public static string Of(RoutePattern pattern)
    {
        var key = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            key.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    // Routing compares literals case-insensitively.
                    case RoutePatternLiteralPart literal:
                        key.Append(literal.Content.ToUpperInvariant());
                        break;
                    case RoutePatternSeparatorPart separator:
                        key.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        AppendParameter(key, parameter, pattern.Defaults.ContainsKey(parameter.Name));
                        break;
                }
            }
        }

        return key.ToString();
    }

    private static void AppendParameter(StringBuilder key, RoutePatternParameterPart parameter, bool hasDefault)
    {
        key.Append('{');
        if (parameter.IsCatchAll)
        {
            key.Append(parameter.EncodeSlashes ? "*" : "**");
        }

        foreach (var policy in parameter.ParameterPolicies)
        {
            key.Append(':').Append(policy.Content);
        }

        if (parameter.IsOptional)
        {
            key.Append('?');
        }

        if (hasDefault)
        {
            key.Append('=');
        }

        key.Append('}');
    }
}
