using System.Diagnostics;
using System.Text;

namespace CorsKit.PackageTests.Infrastructure;

/// <summary>
/// A web app written the way a user would write it, in its own folder outside the repository, that gets CorsKit only
/// through <c>&lt;PackageReference Include="CorsKit" /&gt;</c> from the freshly packed feed. It is built with its own
/// NuGet configuration (the feed and nothing else) and its own empty packages folder, so neither the repository's
/// build files nor a cached CorsKit of the same version can stand in for the package; then it runs on loopback.
/// </summary>
public sealed class ConsumerApp : IAsyncDisposable
{
    public const string AllowedOrigin = "https://app.example.com";

    private const string ReadyMarker = "CONSUMER LISTENING ";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(1);

    private readonly Process _process;

    private readonly StringBuilder _output;

    private ConsumerApp(string directory, Process process, StringBuilder output, Uri address)
    {
        Directory = directory;
        _process = process;
        _output = output;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }

    /// <summary>The NuGet packages folder the consumer restored into (and only into).</summary>
    public string PackagesDirectory { get; private init; } = string.Empty;

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Output => DotnetCli.Snapshot(_output);

    public static async Task<ConsumerApp> StartAsync(PackedLibrary library)
    {
        var directory = Path.Combine(library.WorkDirectory, "consumer");
        System.IO.Directory.CreateDirectory(directory);
        await WriteProjectAsync(directory, library);

        // Outside the project folder, so the web SDK's default globs never pick up package files.
        var packages = Path.Combine(library.WorkDirectory, "consumer-packages");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
        await DotnetCli.RunAsync(directory, BuildTimeout, environment,
            "build", "-c", "Release", "--disable-build-servers", "-nologo");

        var output = new StringBuilder();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = DotnetCli.StartInfo(directory, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
        }, Path.Combine("bin", "Release", "net10.0", "Consumer.dll"), "--urls", "http://127.0.0.1:0");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            DotnetCli.Append(output, e.Data);
            if (e.Data is { } line && line.StartsWith(ReadyMarker, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(line[ReadyMarker.Length..].Trim()));
            }
        };
        process.ErrorDataReceived += (_, e) => DotnetCli.Append(output, e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The consumer app exited before it was ready."));
        process.EnableRaisingEvents = true;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var address = await ready.Task.WaitAsync(StartTimeout);
            return new ConsumerApp(directory, process, output, address) { PackagesDirectory = packages };
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            Stop(process);
            process.Dispose();
            throw new InvalidOperationException($"The consumer app did not start ({ex.Message}):\n{DotnetCli.Snapshot(output)}", ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Stop(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task WriteProjectAsync(string directory, PackedLibrary library)
    {
        // Empty build files stop MSBuild from walking up into whatever folders hold the temp directory.
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

        // The freshly packed feed is the only source: <clear/> drops the machine's and the user's sources, so a
        // restore that needed anything besides CorsKit (a dependency the package forgot to declare, say) fails here.
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="corskit-under-test" value="{library.FeedDirectory}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
            </configuration>
            """);

        await File.WriteAllTextAsync(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CorsKit" Version="[{library.Version}]" />
              </ItemGroup>
            </Project>
            """);

        // No `using CorsKit;`: AddCorsKit and UseCorsKit must be found through the namespaces ASP.NET Core imports.
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), $$"""
            var builder = WebApplication.CreateBuilder(args);
            builder.Logging.ClearProviders();
            builder.Services.AddCorsKit(options => options.AddDefaultPolicy(policy => policy
                .AllowOrigins("{{AllowedOrigin}}")
                .AllowMethods("PUT")
                .AllowRequestHeaders("x-consumer")
                .ExposeHeaders("x-consumer-id")
                .AllowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

            var app = builder.Build();
            app.UseRouting();
            app.UseCorsKit();
            app.MapMethods("/orders", ["GET", "PUT"], (HttpContext context) =>
            {
                context.Response.Headers["x-consumer-id"] = "42";
                return "orders";
            });
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("{{ReadyMarker}}" + app.Urls.First()));
            app.Run();
            """);
    }
}
