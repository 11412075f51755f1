using System.IO.Compression;
using System.Xml.Linq;

namespace CorsKit.PackageTests.Infrastructure;

/// <summary>
/// CorsKit packed exactly as a release is (<c>dotnet pack -c Release</c>, CI-stamped) into a temporary folder, and a
/// consumer app built from that package on demand. Shared by every test in <see cref="PackedLibraryTests"/>.
/// </summary>
public sealed class PackedLibrary : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    private readonly Lazy<Task<ConsumerApp>> _consumer;

    public PackedLibrary()
    {
        _consumer = new Lazy<Task<ConsumerApp>>(() => ConsumerApp.StartAsync(this));
    }

    /// <summary>A folder of its own under the system temp directory, outside the repository; removed at the end.</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("corskit-package-").FullName;

    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    public string PackagePath { get; private set; } = string.Empty;

    public string SymbolsPackagePath { get; private set; } = string.Empty;

    /// <summary>The package's nuspec, read from the .nupkg.</summary>
    public XDocument Nuspec { get; private set; } = new();

    public XNamespace NuspecNamespace => Nuspec.Root!.Name.Namespace;

    public string Version => Nuspec.Root!.Element(NuspecNamespace + "metadata")!.Element(NuspecNamespace + "version")!.Value;

    /// <summary>The consumer app, built and started the first time a test asks for it.</summary>
    public Task<ConsumerApp> Consumer => _consumer.Value;

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CorsKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No CorsKit.sln above {AppContext.BaseDirectory}.");
    }

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "CorsKit", "CorsKit.csproj");
        await DotnetCli.RunAsync(WorkDirectory, PackTimeout, environment: null,
            "pack", project, "-c", "Release", "-o", FeedDirectory,
            "-p:ContinuousIntegrationBuild=true", "-warnaserror", "--disable-build-servers", "-nologo");

        PackagePath = Directory.GetFiles(FeedDirectory, "*.nupkg").Should().ContainSingle("one package is packed").Subject;
        SymbolsPackagePath = Directory.GetFiles(FeedDirectory, "*.snupkg").Should().ContainSingle("one symbols package is packed").Subject;
        using var package = ZipFile.OpenRead(PackagePath);
        await using var nuspec = package.GetEntry("CorsKit.nuspec")!.Open();
        Nuspec = await XDocument.LoadAsync(nuspec, LoadOptions.None, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_consumer.IsValueCreated)
        {
            try
            {
                await (await _consumer.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // The consumer failed to build or start; its test has already reported why.
            }
        }

        Directory.Delete(WorkDirectory, recursive: true);
    }
}

[CollectionDefinition(nameof(PackedLibraryTests))]
public sealed class PackedLibraryTests : ICollectionFixture<PackedLibrary>;
