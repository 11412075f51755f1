using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using static CorsKit.Tests.Infrastructure.ConfigValue;

namespace CorsKit.Tests.Infrastructure;

/// <summary>A policy written in code: what a configuration shape must behave like.</summary>
internal sealed record PolicyInCode(
    string[] Origins, string[] Regexes, string[] Methods, string[] RequestHeaders, string[] ExposedHeaders,
    bool Credentials = false, long? MaxAgeSeconds = null, bool InsecureHttp = false, bool PublicSuffix = false, bool AnyOriginForWebSockets = false)
{
    public static readonly PolicyInCode Empty = new([], [], [], [], []);

    public static readonly PolicyInCode App = Empty with { Origins = ["https://app.example.com"] };

    public void ApplyTo(CorsKitPolicyBuilder policy)
    {
        policy.AllowOrigins(Origins).AllowOriginRegexes(Regexes).AllowMethods(Methods).AllowRequestHeaders(RequestHeaders).ExposeHeaders(ExposedHeaders);
        if (Credentials) policy.AllowCredentials();
        if (MaxAgeSeconds is { } seconds) policy.SetPreflightMaxAge(TimeSpan.FromSeconds(seconds));
        if (InsecureHttp) policy.DangerouslyAllowInsecureHttpOriginsWithCredentials();
        if (PublicSuffix) policy.DangerouslyAllowPublicSuffixWildcardsWithCredentials();
        if (AnyOriginForWebSockets) policy.AllowAnyOriginForWebSockets();
    }

    public override string ToString() =>
        $"origins [{string.Join(" ", Origins)}] regexes [{string.Join(" ", Regexes)}] methods [{string.Join(" ", Methods)}] " +
        $"request headers [{string.Join(" ", RequestHeaders)}] exposed [{string.Join(" ", ExposedHeaders)}] credentials {Credentials} " +
        $"max-age {MaxAgeSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-"} insecure-http {InsecureHttp} public-suffix {PublicSuffix} "
        + $"websockets-any-origin {AnyOriginForWebSockets}";
}

/// <summary>CorsKit options written in code. <see cref="ToString"/> says everything, so equal strings mean equal options.</summary>
internal sealed record OptionsInCode(PolicyInCode? Web, string? DefaultPolicy = "web", bool DebugMode = false, LogLevel? RefusalLogLevel = null)
{
    public static readonly OptionsInCode App = new(PolicyInCode.App);

    public void ApplyTo(CorsKitOptions options)
    {
        if (Web is not null) options.AddPolicy("web", Web.ApplyTo);
        options.DefaultPolicyName = DefaultPolicy;
        options.DebugMode = DebugMode;
        if (RefusalLogLevel is { } level) options.RefusalLogLevel = level;
    }

    public override string ToString() =>
        $"web: {Web?.ToString() ?? "none"}; default {DefaultPolicy ?? "none"}; debug {DebugMode}; refusal level {RefusalLogLevel?.ToString() ?? "-"}";
}

/// <summary>What a shape must do: behave as options in code, or fail at start-up with an error whose fix is right.</summary>
internal abstract record Expectation
{
    public sealed record SameAs(OptionsInCode Code) : Expectation;

    /// <summary>
    /// Start-up fails with an error for <paramref name="Policy"/> and <paramref name="Option"/> whose value is
    /// <paramref name="Value"/> (ignoring case: JSON turns <c>true</c> into <c>True</c>) and whose problem contains
    /// <paramref name="Problem"/>; <paramref name="Fix"/> applies the error's fix through the same provider, and the
    /// app must then start and behave as <paramref name="AfterFix"/>.
    /// </summary>
    public sealed record Fails(string? Policy, string Option, string? Value, string Problem, FixApplication Fix, OptionsInCode AfterFix) : Expectation;
}

/// <summary>Applies what an error's fix says to the configuration that caused it.</summary>
internal delegate ProviderInput FixApplication(ProviderInput input, CorsKitConfigurationError error);

internal sealed record ShapeCase(string Name, ObjectValue Tree, Expectation Expected);

/// <summary>
/// The corpus of configuration shapes: for every CorsKit key, missing, <c>[]</c>, <c>null</c>, <c>""</c>, the right
/// shape, a single value where a list is expected (with and without commas), a list or an object where a single value
/// is expected, an object where a list is expected, a list entry that is a list or an object, a value and entries at
/// once, index gaps, wrong case and duplicate entries. Each runs through every provider that can express it.
/// </summary>
internal static class ShapeCorpus
{
    private static readonly string[] Web = ["CorsKit", "Policies", "web"];

    // Before Cases: static fields are set in the order written.
    public static readonly ObjectValue AppPolicy = Object(("Origins", List("https://app.example.com")));

    private static readonly List<(string Key, OptionsInCode Without, OptionsInCode With)> ContrastList = [];

    public static readonly IReadOnlyDictionary<string, ShapeCase> Cases = Build().ToDictionary(c => c.Name);

    /// <summary>For each key, the options without it and with it, which the probes must tell apart.</summary>
    public static IReadOnlyList<(string Key, OptionsInCode Without, OptionsInCode With)> Contrasts => ContrastList;

    public static IEnumerable<object[]> For(Provider provider) =>
        Cases.Values.Where(c => new ProviderInput(provider, c.Tree).IsExpressible).Select(c => new object[] { c.Name });

    /// <summary>The configuration: <c>CorsKit</c> with <c>DefaultPolicy: web</c> and policy <paramref name="web"/>.</summary>
    public static ObjectValue Config(ObjectValue web, string? defaultPolicy = "web")
    {
        var corsKit = Object(("Policies", Object(("web", web))));
        if (defaultPolicy is not null) corsKit = corsKit.With(["DefaultPolicy"], Text(defaultPolicy));
        return Object(("CorsKit", corsKit));
    }

    private sealed record ListKey(string Name, string A, string B, string CommaValue, bool SplitsAtCommas, ObjectValue Base, PolicyInCode BaseCode,
        Func<PolicyInCode, string[], PolicyInCode> With);

    private sealed record ScalarKey(string Name, string[] Path, ObjectValue Base, OptionsInCode BaseCode, ConfigValue Valid, string ValidText,
        OptionsInCode WithValid, string Invalid, string InvalidProblem, string InvalidFix, string? FixAllows = null, string? Label = null);

    private static IEnumerable<ShapeCase> Build()
    {
        var methodsOnly = Object(("Methods", List("PUT")));
        ListKey[] lists =
        [
            new("Origins", "https://b.example", "https://c.example", "https://b.example, https://c.example", true, methodsOnly,
                PolicyInCode.Empty with { Methods = ["PUT"] }, (p, v) => p with { Origins = v }),
            new("OriginRegexes", @"https://pr-[0-9]+\.review\.example\.com", @"https://b\.example", @"https://pr-[0-9]{1,3}\.review\.example\.com", false,
                AppPolicy, PolicyInCode.App, (p, v) => p with { Regexes = v }),
            new("Methods", "PUT", "DELETE", "PUT,DELETE", true, AppPolicy, PolicyInCode.App, (p, v) => p with { Methods = v }),
            new("RequestHeaders", "x-a", "x-b", "x-a,x-b", true, AppPolicy, PolicyInCode.App, (p, v) => p with { RequestHeaders = v }),
            new("ExposedHeaders", "x-total-count", "x-b", "x-total-count,x-b", true, AppPolicy, PolicyInCode.App, (p, v) => p with { ExposedHeaders = v }),
        ];
        foreach (var key in lists)
        {
            ContrastList.Add((key.Name, new(key.BaseCode), new(key.With(key.BaseCode, [key.A]))));
            ContrastList.Add(($"{key.Name} (second entry)", new(key.With(key.BaseCode, [key.A])), new(key.With(key.BaseCode, [key.A, key.B]))));
            // Only these two are answered as lists in the configured order; for the others order means nothing.
            if (key.Name is "Methods" or "ExposedHeaders")
            {
                ContrastList.Add(($"{key.Name} (order)", new(key.With(key.BaseCode, [key.A, key.B])), new(key.With(key.BaseCode, [key.B, key.A]))));
            }
            foreach (var shape in ListShapes(key)) yield return shape;
        }

        var intranet = Object(("Origins", List("http://intranet.example.com")), ("AllowCredentials", Literal("true")));
        var github = Object(("Origins", List("https://*.github.io")), ("AllowCredentials", Literal("true")));
        ScalarKey[] scalars =
        [
            new("AllowCredentials", [.. Web, "AllowCredentials"], Config(AppPolicy), OptionsInCode.App, Literal("true"), "true",
                OptionsInCode.App with { Web = PolicyInCode.App with { Credentials = true } }, "yes", "Not a boolean.", "Write true or false."),
            new("MaxAgeSeconds", [.. Web, "MaxAgeSeconds"], Config(AppPolicy), OptionsInCode.App,
                Literal("600"), "600", OptionsInCode.App with { Web = PolicyInCode.App with { MaxAgeSeconds = 600 } },
                "ten", "Not a whole number of seconds.", "Write a whole number from 0 to 86400 (Chromium caps the cache at 7200).", "from 0 to 86400"),
            new("DangerouslyAllowInsecureHttpOriginsWithCredentials", [.. Web, "DangerouslyAllowInsecureHttpOriginsWithCredentials"], Config(intranet),
                new(PolicyInCode.Empty with { Origins = ["http://intranet.example.com"], Credentials = true }), Literal("true"), "true",
                new(PolicyInCode.Empty with { Origins = ["http://intranet.example.com"], Credentials = true, InsecureHttp = true }),
                "maybe", "Not a boolean.", "Write true or false.", Label: "InsecureHttp opt-out"),
            new("DangerouslyAllowPublicSuffixWildcardsWithCredentials", [.. Web, "DangerouslyAllowPublicSuffixWildcardsWithCredentials"], Config(github),
                new(PolicyInCode.Empty with { Origins = ["https://*.github.io"], Credentials = true }), Literal("true"), "true",
                new(PolicyInCode.Empty with { Origins = ["https://*.github.io"], Credentials = true, PublicSuffix = true }),
                "maybe", "Not a boolean.", "Write true or false.", Label: "PublicSuffix opt-out"),
            new("AllowAnyOriginForWebSockets", [.. Web, "AllowAnyOriginForWebSockets"], Config(AppPolicy), OptionsInCode.App, Literal("true"), "true",
                OptionsInCode.App with { Web = PolicyInCode.App with { AnyOriginForWebSockets = true } }, "maybe", "Not a boolean.",
                "Write true or false."),
            new("DebugMode", ["CorsKit", "DebugMode"], Config(AppPolicy), OptionsInCode.App, Literal("true"), "true",
                OptionsInCode.App with { DebugMode = true }, "on", "Not a boolean.", "Write true or false."),
            new("RefusalLogLevel", ["CorsKit", "RefusalLogLevel"], Config(AppPolicy), OptionsInCode.App, Text("Warning"), "Warning",
                OptionsInCode.App with { RefusalLogLevel = LogLevel.Warning }, "Loud", "Not a log level.", "Write Debug, Information, Warning, Error or None."),
            new("DefaultPolicy", ["CorsKit", "DefaultPolicy"], Config(AppPolicy, defaultPolicy: null), OptionsInCode.App with { DefaultPolicy = null },
                Text("web"), "web", OptionsInCode.App, "missing", "No policy has this name.", "Use one of: 'web'."),
        ];
        foreach (var key in scalars)
        {
            ContrastList.Add((key.Label ?? key.Name, key.BaseCode, key.WithValid));
            foreach (var shape in ScalarShapes(key)) yield return shape;
        }

        foreach (var shape in StructureShapes()) yield return shape;
    }

    private static IEnumerable<ShapeCase> ListShapes(ListKey key)
    {
        string[] path = [.. Web, key.Name];
        var tree = Config(key.Base);
        OptionsInCode Without() => new(key.BaseCode);
        OptionsInCode With(params string[] values) => new(key.With(key.BaseCode, values));
        ShapeCase Case(string shape, ConfigValue? value, Expectation expected) => new($"{key.Name}: {shape}", tree.With(path, value), expected);
        Expectation Fails(string value, string problem, params string[] afterFix) =>
            new Expectation.Fails("web", key.Name, value, problem, ProviderForms(path), With(afterFix));

        yield return Case("missing", null, new Expectation.SameAs(Without()));
        yield return Case("[]", EmptyList, new Expectation.SameAs(Without()));
        yield return Case("null", Null, new Expectation.SameAs(Without()));
        yield return Case("\"\"", EmptyText, new Expectation.SameAs(Without()));
        yield return Case("two entries", List(key.A, key.B), new Expectation.SameAs(With(key.A, key.B)));
        yield return new($"{key.Name}: key in lower case", tree.With([.. Web, key.Name.ToLowerInvariant()], List(key.A)), new Expectation.SameAs(With(key.A)));
        yield return new($"{key.Name}: key in upper case", tree.With([.. Web, key.Name.ToUpperInvariant()], List(key.A)), new Expectation.SameAs(With(key.A)));
        yield return Case("duplicate entries", List(key.A, key.A, key.B), new Expectation.SameAs(With(key.A, key.B)));
        yield return Case("an empty entry", List(Text(key.A), EmptyText, Text(key.B)), new Expectation.SameAs(With(key.A, key.B)));
        yield return Case("an entry that is []", List(Text(key.A), EmptyList), new Expectation.SameAs(With(key.A)));
        yield return Case("a null entry", List(Text(key.A), Null), new Expectation.SameAs(With(key.A)));
        // Ordered as numbers: 2 before 10 (as text, 10 would sort first).
        yield return Case("entries at indexes 2 and 10", Indexed((10, key.B), (2, key.A)), new Expectation.SameAs(With(key.A, key.B)));
        yield return Case("a single value", Text(key.A), Fails(key.A, "A single value where a list is expected.", key.A));
        yield return Case("a single value with commas", Text(key.CommaValue), key.SplitsAtCommas
            ? Fails(key.CommaValue, "A single value where a list is expected (CorsKit does not split values at commas).", key.A, key.B)
            : Fails(key.CommaValue, "A single value where a list is expected.", key.CommaValue));
        if (key.SplitsAtCommas)
        {
            yield return Case("a value with a trailing comma", Text($"{key.A},"),
                Fails($"{key.A},", "A single value where a list is expected (CorsKit does not split values at commas).", key.A));
        }

        yield return Case("an object", Object(("first", Text(key.A)), ("0", Text(key.B))),
            Fails($"{{0: {key.B}, first: {key.A}}}", "An object where a list is expected: 'first' is not a list index", key.B, key.A));
        yield return Case("an entry that is a list", List(Text(key.A), List(key.B)), Fails($"[{key.A}, [{key.B}]]", "Entry 1 is a list, not a single value.", key.A, key.B));
        yield return Case("an entry that is an object", List(Object(("x", Text(key.B)))), Fails($"[{{x: {key.B}}}]", "Entry 0 is an object (keys 'x'), not a single value.", key.B));
        yield return Case("a value and entries", ValueAndEntries(key.A, key.B),
            Fails($"{key.A} and {{0: {key.B}}}", "A single value together with entries (keys '0') where a list is expected.", key.A, key.B));
    }

    private static IEnumerable<ShapeCase> ScalarShapes(ScalarKey key)
    {
        // xUnit shortens a display argument beyond 50 characters, so long key names get a label.
        var label = key.Label ?? key.Name;
        ShapeCase Case(string shape, ConfigValue? value, Expectation expected) => new($"{label}: {shape}", key.Base.With(key.Path, value), expected);
        var policy = key.Path.Length > 3 ? "web" : null;
        Expectation Fails(string value, string problem) => new Expectation.Fails(policy, key.Name, value, problem, ProviderForms(key.Path), key.WithValid);

        yield return Case("missing", null, new Expectation.SameAs(key.BaseCode));
        yield return Case("[]", EmptyList, new Expectation.SameAs(key.BaseCode));
        yield return Case("null", Null, new Expectation.SameAs(key.BaseCode));
        yield return Case("\"\"", EmptyText, new Expectation.SameAs(key.BaseCode));
        yield return Case(key.ValidText, key.Valid, new Expectation.SameAs(key.WithValid));
        yield return new($"{label}: key in lower case", key.Base.With([.. key.Path[..^1], key.Name.ToLowerInvariant()], key.Valid), new Expectation.SameAs(key.WithValid));
        yield return Case($"invalid value '{key.Invalid}'", Text(key.Invalid), new Expectation.Fails(policy, key.Name, key.Invalid, key.InvalidProblem,
            (input, error) =>
            {
                error.Fix.Should().Be(key.InvalidFix);
                error.Fix.Should().Contain(key.FixAllows ?? key.ValidText, $"the fix allows the value the test writes, {key.ValidText}");
                return input with { Tree = input.Tree.With(key.Path, key.Valid) };
            }, key.WithValid));
        yield return Case("a list of one", List(key.Valid), Fails($"[{key.ValidText}]", "A list where a single value is expected."));
        yield return Case("a list of two", List(Text(key.Invalid), key.Valid), Fails($"[{key.Invalid}, {key.ValidText}]", "A list where a single value is expected."));
        yield return Case("an object", Object(("value", key.Valid)), Fails($"{{value: {key.ValidText}}}", "An object (keys 'value') where a single value is expected."));
        yield return Case("a value and entries", ValueAndEntries(key.ValidText, key.ValidText),
            Fails($"{key.ValidText} and {{0: {key.ValidText}}}", "A single value together with entries (keys '0') where a single value is expected."));
    }

    private static IEnumerable<ShapeCase> StructureShapes()
    {
        var app = Config(AppPolicy);
        var noPolicies = new OptionsInCode(null);
        var emptyWeb = new OptionsInCode(PolicyInCode.Empty);
        string[] policies = ["CorsKit", "Policies"];

        yield return new("Policies: missing", app.With(policies, null), new Expectation.SameAs(noPolicies));
        yield return new("Policies: []", app.With(policies, EmptyList), new Expectation.SameAs(noPolicies));
        yield return new("Policies: null", app.With(policies, Null), new Expectation.SameAs(noPolicies));
        yield return new("Policies: \"\"", app.With(policies, EmptyText), new Expectation.SameAs(noPolicies));
        yield return new("Policies: [] and no DefaultPolicy", Config(AppPolicy, null).With(policies, EmptyList), new Expectation.SameAs(noPolicies with { DefaultPolicy = null }));
        yield return new("Policies: key in lower case", app.With(policies, null).With(["CorsKit", "policies"], Object(("web", AppPolicy))), new Expectation.SameAs(OptionsInCode.App));
        yield return new("Policies: a single value", app.With(policies, Text("web")),
            new Expectation.Fails(null, "Policies", "web", "A single value where named policies are expected.", ProviderForms(policies), OptionsInCode.App));
        yield return new("Policies: a list of policies", app.With(policies, List(AppPolicy)),
            new Expectation.Fails(null, "Policies", "[{Origins: [https://app.example.com]}]", "A list where named policies are expected.", ProviderForms(policies), OptionsInCode.App));

        yield return new("policy: null", app.With(Web, Null), new Expectation.SameAs(emptyWeb));
        yield return new("policy: []", app.With(Web, EmptyList), new Expectation.SameAs(emptyWeb));
        yield return new("policy: \"\"", app.With(Web, EmptyText), new Expectation.SameAs(emptyWeb));
        yield return new("policy: name in upper case", app.With(Web, null).With(["CorsKit", "Policies", "WEB"], AppPolicy), new Expectation.SameAs(OptionsInCode.App));
        yield return new("policy: DefaultPolicy in upper case", Config(AppPolicy, "WEB"), new Expectation.SameAs(OptionsInCode.App));
        yield return new("policy: a single value", app.With(Web, Text("https://app.example.com")),
            new Expectation.Fails("web", "Policies:web", "https://app.example.com", "A single value where the policy's settings are expected.", ProviderForms(Web), OptionsInCode.App));
        yield return new("policy: a list", app.With(Web, List("https://app.example.com")),
            new Expectation.Fails("web", "Policies:web", "[https://app.example.com]", "A list where the policy's settings are expected.", ProviderForms(Web), OptionsInCode.App));

        yield return new("CorsKit: section name in lower case", Object(("corskit", ((ObjectValue)app.Members[0].Value))), new Expectation.SameAs(OptionsInCode.App));
        yield return new("CorsKit: \"\"", Object(("CorsKit", EmptyText)), new Expectation.SameAs(noPolicies with { DefaultPolicy = null }));
        yield return new("CorsKit: a single value", Object(("CorsKit", Text("web"))),
            new Expectation.Fails(null, "CorsKit", "web", "A single value where the CorsKit settings are expected.", ProviderForms(["CorsKit"]),
                OptionsInCode.App with { DefaultPolicy = null }));

        yield return new("policy: a misspelt key", app.With([.. Web, "Origins"], null).With([.. Web, "Origin"], List("https://app.example.com")),
            new Expectation.Fails("web", "Origin", null, "Unknown policy setting.", (input, error) =>
            {
                error.Fix.Should().EndWith("(did you mean 'Origins'?).");
                return input with { Tree = input.Tree.With([.. Web, "Origin"], null).With([.. Web, "Origins"], List("https://app.example.com")) };
            }, OptionsInCode.App));
        yield return new("CorsKit: a misspelt key", app.With(["CorsKit", "DefaultPolicy"], null).With(["CorsKit", "DefaultPolicyName"], Text("web")),
            new Expectation.Fails(null, "DefaultPolicyName", "web", "Unknown CorsKit setting.", (input, error) =>
            {
                error.Fix.Should().EndWith("(did you mean 'DefaultPolicy'?).");
                return input with { Tree = input.Tree.With(["CorsKit", "DefaultPolicyName"], null).With(["CorsKit", "DefaultPolicy"], Text("web")) };
            }, OptionsInCode.App));
    }

    private static readonly Regex FixForms = new(
        @"in JSON (?<json>.+?); as (?:an environment variable|environment variables) (?<env>.+?); on the command line (?<cmd>.+)\.$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Applies a fix that spells out each provider's form: the JSON form replaces the key at <paramref name="path"/>
    /// in the file; the environment variables or command-line arguments replace the key's entries, written exactly as
    /// the fix writes them; in memory the command-line keys are used without their <c>--</c>.
    /// </summary>
    public static FixApplication ProviderForms(string[] path) => (input, error) =>
    {
        var forms = FixForms.Match(error.Fix);
        forms.Success.Should().BeTrue($"the fix shows the JSON, environment-variable and command-line forms: {error.Fix}");
        switch (input.Provider)
        {
            case Provider.JsonFile:
                using (var json = JsonDocument.Parse($"{{ {forms.Groups["json"].Value} }}"))
                {
                    var member = json.RootElement.EnumerateObject().Single();
                    member.Name.Should().BeEquivalentTo(path[^1], "the JSON form names the key at fault");
                    return input with { Tree = input.Tree.With([.. path[..^1], member.Name], FromJson(member.Value)) };
                }
            case Provider.EnvironmentVariables:
                return input with { Tree = input.Tree.With(path, null), Verbatim = [.. input.Verbatim, .. forms.Groups["env"].Value.Split(" and ")] };
            default:
                var arguments = forms.Groups["cmd"].Value.Split(' ');
                arguments.Should().OnlyContain(a => a.StartsWith("--", StringComparison.Ordinal), error.Fix);
                return input with
                {
                    Tree = input.Tree.With(path, null),
                    Verbatim = [.. input.Verbatim, .. input.Provider == Provider.CommandLine ? arguments : arguments.Select(a => a[2..])],
                };
        }
    };

    private static readonly ConcurrentDictionary<string, Lazy<Task<StartOutcome>>> CodeOutcomes = new();

    /// <summary>The outcome of <paramref name="code"/>, started once per distinct options for the whole run.</summary>
    public static Task<StartOutcome> OutcomeOf(OptionsInCode code) =>
        CodeOutcomes.GetOrAdd(code.ToString(), _ => new Lazy<Task<StartOutcome>>(() => CorsKitAnswers.FromCodeAsync(code.ApplyTo))).Value;

    /// <summary>The configuration behaves as the code: the same answers, or the same start-up errors.</summary>
    public static async Task ShouldBehaveAsAsync(StartOutcome outcome, OptionsInCode code, ProviderInput input)
    {
        var expected = await OutcomeOf(code);
        var because = $"{input} must behave as the policy in code ({code})";
        switch (expected)
        {
            case StartOutcome.Started started:
                outcome.Should().BeOfType<StartOutcome.Started>(because + (outcome is StartOutcome.Refused r ? $", but: {r.Exception.Message}" : string.Empty))
                    .Which.Answers.Should().Equal(started.Answers, because);
                break;
            case StartOutcome.Refused refused:
                outcome.Should().BeOfType<StartOutcome.Refused>(because + ", which does not start")
                    .Which.Exception.Errors.Select(e => e.ToString()).Should().Equal(refused.Exception.Errors.Select(e => e.ToString()), because);
                break;
        }
    }

    public static async Task RunAsync(Provider provider, string name, string directory)
    {
        var shape = Cases[name];
        var input = new ProviderInput(provider, shape.Tree);
        var outcome = await CorsKitAnswers.FromConfigurationAsync(input, directory);
        switch (shape.Expected)
        {
            case Expectation.SameAs same:
                await ShouldBehaveAsAsync(outcome, same.Code, input);
                break;
            case Expectation.Fails fails:
                var refused = outcome.Should().BeOfType<StartOutcome.Refused>($"{input} must not start").Subject;
                var error = refused.Exception.Errors.Should().ContainSingle(e => e.Policy == fails.Policy && e.Option == fails.Option,
                    $"one error names the policy and the key: {refused.Exception.Message}").Subject;
                if (fails.Value is null) error.Value.Should().BeNull();
                else error.Value.Should().BeEquivalentTo(fails.Value);
                error.Problem.Should().StartWith(fails.Problem);
                refused.Exception.Message.Should().Contain(error.ToString());

                var fixedInput = fails.Fix(input, error);
                await ShouldBehaveAsAsync(await CorsKitAnswers.FromConfigurationAsync(fixedInput, directory), fails.AfterFix, fixedInput);
                break;
        }
    }
}
