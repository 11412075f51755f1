using System.Collections.Concurrent;
using System.Net;
using CorsKit.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>
/// Configuration changes reach new requests without a restart, whole or not at all: an invalid change is refused and
/// logged while the last good policies keep serving.
/// </summary>
public sealed class HotReloadTests : IDisposable
{
    private const string X = "https://x.example";
    private const string Y = "https://y.example";
    private const string Z = "https://z.example";

    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-reload-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Json(string origin, string extra = "") => $$"""
        { "CorsKit": { "DefaultPolicy": "web", "Policies": { "web": { "Origins": [ "{{origin}}" ]{{extra}} } } } }
        """;

    /// <summary>Replaces the file in one rename, as deployment tools do, so the watcher never reads half a file.</summary>
    private static void Replace(string path, string json)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>An app whose CorsKit section comes from a watched appsettings.json in the test's directory.</summary>
    private sealed class WatchedApp(string path, ConfigurationRoot configuration, TestApp app, LogCollector logs) : IAsyncDisposable
    {
        public TestApp App { get; } = app;

        public LogCollector Logs { get; } = logs;

        public void Replace(string json) => HotReloadTests.Replace(path, json);

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            configuration.Dispose();
        }
    }

    private async Task<WatchedApp> StartWatching(string json, string? useCorsKitPolicy = null)
    {
        var path = Path.Combine(_directory, "appsettings.json");
        File.WriteAllText(path, json);
        var configuration = (ConfigurationRoot)new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: true).Build();
        var logs = new LogCollector();
        var app = await TestApp.StartAsync(
            services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.AddCorsKit(configuration.GetSection("CorsKit"));
            },
            useCorsKitPolicy);
        return new WatchedApp(path, configuration, app, logs);
    }

    private static Task<TestApp> Start(IConfiguration section, LogCollector logs) =>
        TestApp.StartAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddCorsKit(section);
        });

    private static async Task<bool> IsAllowed(TestApp app, string origin) =>
        (await app.GetAsync("/", origin)).Single("Access-Control-Allow-Origin") == origin;

    /// <summary>Polls until the condition holds; file watchers take a moment (inotify plus a 250 ms debounce).</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Within 10 s: {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_changed_json_file_takes_effect_for_new_requests_without_restart()
    {
        await using var watched = await StartWatching(Json(X));
        var app = watched.App;
        (await IsAllowed(app, X)).Should().BeTrue();
        (await IsAllowed(app, Y)).Should().BeFalse();

        watched.Replace(Json(Y));

        await Eventually(() => IsAllowed(app, Y), "the new origin is allowed");
        (await IsAllowed(app, X)).Should().BeFalse("the whole new policy replaced the old one");
        watched.Logs.WithEvent("ConfigurationReloaded").Should().NotBeEmpty();
    }

    [Fact]
    public async Task An_invalid_json_file_is_refused_and_logged_while_the_last_good_policy_keeps_serving()
    {
        await using var watched = await StartWatching(Json(X));
        var app = watched.App;

        watched.Replace(Json(Y + "/", """, "AllowCredentials": true, "ExposedHeaders": [ "*" ]"""));

        var refused = await watched.Logs.WaitForAsync("ConfigurationRefused");
        refused.Level.Should().Be(LogLevel.Error);
        refused.Message.Should().Contain("policy 'web', Origins value 'https://y.example/'").And.Contain("policy 'web', ExposedHeaders value '*'");
        (await IsAllowed(app, X)).Should().BeTrue("the last good configuration keeps serving");
        (await IsAllowed(app, Y)).Should().BeFalse();
        (await app.GetAsync("/", X)).Single("Access-Control-Allow-Credentials").Should().BeNull("nothing of the refused configuration applies");

        watched.Replace(Json(Y));
        await Eventually(() => IsAllowed(app, Y), "a later valid change still applies");
    }

    [Fact]
    public async Task Malformed_json_never_replaces_the_serving_policy()
    {
        await using var watched = await StartWatching(Json(X));
        var app = watched.App;

        // Half a file, as a non-atomic writer could leave it; then a valid file, to know the watcher has caught up.
        watched.Replace(Json(Y)[..40]);
        watched.Replace(Json(Z));
        await Eventually(() => IsAllowed(app, Z), "the valid file after the malformed one applies");

        (await IsAllowed(app, X)).Should().BeFalse();
        (await IsAllowed(app, Y)).Should().BeFalse();
    }

    [Fact]
    public async Task A_configuration_reload_applies_at_once_and_an_invalid_one_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DefaultPolicy"] = "web",
            ["CorsKit:Policies:web:Origins:0"] = X,
        }).Build();
        var logs = new LogCollector();
        await using var app = await Start(configuration.GetSection("CorsKit"), logs);

        configuration["CorsKit:Policies:web:Origins:0"] = Y;
        configuration.Reload();
        (await IsAllowed(app, Y)).Should().BeTrue();

        configuration["CorsKit:Policies:web:Origins:0"] = "null";
        configuration["CorsKit:Policies:web:MaxAgeSeconds"] = "600";
        configuration.Reload();

        logs.WithEvent("ConfigurationRefused").Should().ContainSingle().Which.Message.Should().Contain("policy 'web', Origins value 'null'");
        (await IsAllowed(app, Y)).Should().BeTrue();
        (await app.PreflightAsync(Y, "GET")).Single("Access-Control-Max-Age").Should().BeNull("the refused change applies in no part");
    }

    [Fact]
    public async Task A_reload_that_changes_a_regex_forgets_the_origins_the_old_one_matched()
    {
        // CorsKit remembers recent regex matches per built policy; a reload builds new policies, so an origin the old
        // regex matched (and that is remembered) must be refused as soon as the new regex no longer matches it.
        const string Old = "https://pr-1.preview.example.com";
        const string New = "https://pr-1.review.example.com";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DefaultPolicy"] = "web",
            ["CorsKit:Policies:web:OriginRegexes:0"] = "https://pr-[0-9]+\\.preview\\.example\\.com",
        }).Build();
        var logs = new LogCollector();
        await using var app = await Start(configuration.GetSection("CorsKit"), logs);
        (await IsAllowed(app, Old)).Should().BeTrue();
        (await IsAllowed(app, Old)).Should().BeTrue("the second request is answered from the remembered match");

        configuration["CorsKit:Policies:web:OriginRegexes:0"] = "https://pr-[0-9]+\\.review\\.example\\.com";
        configuration.Reload();

        (await IsAllowed(app, Old)).Should().BeFalse();
        (await IsAllowed(app, New)).Should().BeTrue();
    }

    [Fact]
    public async Task A_change_that_drops_a_policy_used_by_name_is_refused()
    {
        await using var watched = await StartWatching("""{ "CorsKit": { "Policies": { "web": { "Origins": [ "https://x.example" ] } } } }""", useCorsKitPolicy: "web");

        watched.Replace("""{ "CorsKit": { "Policies": { "api": { "Origins": [ "https://y.example" ] } } } }""");

        (await watched.Logs.WaitForAsync("ConfigurationRefused")).Message.Should().Contain("UseCorsKit(policyName) value 'web'");
        (await IsAllowed(watched.App, X)).Should().BeTrue();
    }

    // ---- Atomicity under load ----

    /// <summary>Two whole policy sets; every response must be explained by exactly one of them.</summary>
    private static readonly Dictionary<string, string?> GenerationA = new()
    {
        ["CorsKit:DefaultPolicy"] = "web",
        ["CorsKit:Policies:web:Origins:0"] = X,
        ["CorsKit:Policies:web:Origins:1"] = Z,
        ["CorsKit:Policies:web:Methods:0"] = "PUT",
        ["CorsKit:Policies:web:ExposedHeaders:0"] = "x-from-a",
        ["CorsKit:Policies:web:MaxAgeSeconds"] = "100",
    };

    private static readonly Dictionary<string, string?> GenerationB = new()
    {
        ["CorsKit:DefaultPolicy"] = "web",
        ["CorsKit:Policies:web:Origins:0"] = Y,
        ["CorsKit:Policies:web:Origins:1"] = Z,
        ["CorsKit:Policies:web:Methods:0"] = "PATCH",
        ["CorsKit:Policies:web:ExposedHeaders:0"] = "x-from-b",
        ["CorsKit:Policies:web:MaxAgeSeconds"] = "200",
    };

    private static void Apply(IConfigurationRoot configuration, Dictionary<string, string?> generation)
    {
        foreach (var (key, value) in generation) configuration[key] = value;
        configuration.Reload();
    }

    /// <summary>"A" or "B" when the response is exactly what that generation answers, else a description of it.</summary>
    private static async Task<string> Classify(TestApp app, int kind)
    {
        string Describe(HttpResponseMessage r) =>
            $"kind {kind}: {(int)r.StatusCode} ACAO={r.Single("Access-Control-Allow-Origin")} ACEH={r.Single("Access-Control-Expose-Headers")} " +
            $"ACAM={r.Single("Access-Control-Allow-Methods")} ACMA={r.Single("Access-Control-Max-Age")}";

        switch (kind)
        {
            case 0:
            {
                // Both allow Z; only the exposed header tells them apart.
                var r = await app.GetAsync("/", Z);
                var (origin, exposed) = (r.Single("Access-Control-Allow-Origin"), r.Single("Access-Control-Expose-Headers"));
                return origin == Z && exposed == "x-from-a" ? "A" : origin == Z && exposed == "x-from-b" ? "B" : Describe(r);
            }
            case 1:
            {
                var r = await app.GetAsync("/", X);
                var (origin, exposed) = (r.Single("Access-Control-Allow-Origin"), r.Single("Access-Control-Expose-Headers"));
                return origin == X && exposed == "x-from-a" ? "A" : origin is null && exposed is null ? "B" : Describe(r);
            }
            default:
            {
                // A allows PUT for 100 s, B allows PATCH for 200 s; each refuses the other's method.
                var method = kind == 2 ? "PUT" : "PATCH";
                var r = await app.PreflightAsync(Z, method);
                var allowed = r.StatusCode == HttpStatusCode.NoContent && r.Single("Access-Control-Allow-Origin") == Z && r.Single("Access-Control-Allow-Methods") == method;
                var refused = r.StatusCode == HttpStatusCode.Forbidden && r.Single("Access-Control-Allow-Origin") is null && r.Single("Access-Control-Max-Age") is null;
                return (kind, allowed, refused, r.Single("Access-Control-Max-Age")) switch
                {
                    (2, true, _, "100") => "A",
                    (2, _, true, _) => "B",
                    (3, true, _, "200") => "B",
                    (3, _, true, _) => "A",
                    _ => Describe(r),
                };
            }
        }
    }

    [Fact]
    public async Task Thousands_of_concurrent_requests_across_repeated_reloads_each_see_one_whole_policy()
    {
        const int Reloads = 10;
        const int RequestsPerReload = 400;
        const int Total = (Reloads + 1) * RequestsPerReload;
        const int Clients = 16;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GenerationA).Build();
        var logs = new LogCollector();
        await using var app = await Start(configuration.GetSection("CorsKit"), logs);

        var started = 0;
        var outcomes = new ConcurrentDictionary<string, int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);

        async Task Client()
        {
            while (DateTime.UtcNow < deadline)
            {
                var n = Interlocked.Increment(ref started);
                if (n > Total) return;
                outcomes.AddOrUpdate(await Classify(app, n % 4), 1, (_, count) => count + 1);
            }
        }

        async Task Reloader()
        {
            // Each reload lands in the middle of a batch of requests, while others are in flight.
            for (var i = 1; i <= Reloads; i++)
            {
                while (Volatile.Read(ref started) < (i * RequestsPerReload) && DateTime.UtcNow < deadline) await Task.Delay(1);
                Apply(configuration, i % 2 == 1 ? GenerationB : GenerationA);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(Client)).Append(Task.Run(Reloader)));

        outcomes.Keys.Should().BeSubsetOf(["A", "B"], "every response is exactly what one whole generation answers");
        outcomes.Values.Sum().Should().Be(Total);
        outcomes.GetValueOrDefault("A").Should().BeGreaterThan(RequestsPerReload);
        outcomes.GetValueOrDefault("B").Should().BeGreaterThan(RequestsPerReload);
        logs.WithEvent("ConfigurationReloaded").Should().HaveCount(Reloads);
        logs.WithEvent("ConfigurationRefused").Should().BeEmpty();
        (await Classify(app, 0)).Should().Be("A", "the last reload applied generation A");
    }
}
