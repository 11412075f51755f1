using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using CorsKit.PackageTests.Infrastructure;

namespace CorsKit.PackageTests;

/// <summary>
/// CorsKit.PostgreSql packed as a release is, beside the CorsKit package it depends on, and an app built from the two
/// packages alone (Npgsql from the registry): what the package holds, what it declares, and that it runs.
/// </summary>
public sealed class PostgreSqlPackageTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _work = Directory.CreateTempSubdirectory("corskit-pg-package-").FullName;
    private string _package = string.Empty;
    private string _version = string.Empty;
    private XDocument _nuspec = new();

    private string Feed => Path.Combine(_work, "feed");

    private XNamespace Ns => _nuspec.Root!.Name.Namespace;

    private XElement Metadata => _nuspec.Root!.Element(Ns + "metadata")!;

    public async Task InitializeAsync()
    {
        var root = PackedLibrary.RepositoryRoot();
        foreach (var project in new[] { "CorsKit", "CorsKit.PostgreSql" })
        {
            await DotnetCli.RunAsync(_work, Timeout, environment: null, "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", "Release",
                "-o", Feed, "-p:ContinuousIntegrationBuild=true", "-warnaserror", "--disable-build-servers", "-nologo");
        }

        _package = Directory.GetFiles(Feed, "CorsKit.PostgreSql.*.nupkg").Should().ContainSingle().Subject;
        using var package = ZipFile.OpenRead(_package);
        await using var nuspec = package.GetEntry("CorsKit.PostgreSql.nuspec")!.Open();
        _nuspec = await XDocument.LoadAsync(nuspec, LoadOptions.None, CancellationToken.None);
        _version = Metadata.Element(Ns + "version")!.Value;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Package_holds_the_library_its_docs_and_readme_declares_CorsKit_and_Npgsql_and_an_app_built_from_it_runs()
    {
        using (var package = ZipFile.OpenRead(_package))
        {
            var entries = package.Entries.Select(e => e.FullName)
                .Where(e => e is not "[Content_Types].xml" and not "_rels/.rels" && !e.StartsWith("package/", StringComparison.Ordinal));
            entries.Should().BeEquivalentTo("CorsKit.PostgreSql.nuspec", "README.md", "lib/net10.0/CorsKit.PostgreSql.dll",
                "lib/net10.0/CorsKit.PostgreSql.xml");
            using var readme = new MemoryStream();
            await package.GetEntry("README.md")!.Open().CopyToAsync(readme);
            readme.ToArray().Should().Equal(await File.ReadAllBytesAsync(
                Path.Combine(PackedLibrary.RepositoryRoot(), "src", "CorsKit.PostgreSql", "README.md")));

            using var dll = new MemoryStream();
            await package.GetEntry("lib/net10.0/CorsKit.PostgreSql.dll")!.Open().CopyToAsync(dll);
            using var xml = package.GetEntry("lib/net10.0/CorsKit.PostgreSql.xml")!.Open();
            var documented = XDocument.Load(xml).Descendants("member")
                .Where(m => !string.IsNullOrWhiteSpace(m.Element("summary")?.Value)).Select(m => m.Attribute("name")!.Value).ToHashSet();
            dll.Position = 0;
            using var pe = new PEReader(dll);
            var publicTypes = PackageContentTests.PublicTypeDocIds(System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe)).ToList();
            publicTypes.Should().Contain("T:CorsKit.PostgreSql.CorsKitPostgreSqlOptions");
            publicTypes.Where(id => !documented.Contains(id)).Should().BeEmpty("every public type needs a <summary>");
        }

        Metadata.Element(Ns + "id")!.Value.Should().Be("CorsKit.PostgreSql");
        Metadata.Element(Ns + "readme")!.Value.Should().Be("README.md");
        var dependencies = Metadata.Element(Ns + "dependencies")!.Descendants(Ns + "dependency")
            .Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}").ToList();
        dependencies.Should().BeEquivalentTo($"CorsKit {_version}", "Npgsql 10.0.3");
        Metadata.Element(Ns + "frameworkReferences")!.Descendants(Ns + "frameworkReference").Select(f => f.Attribute("name")?.Value)
            .Should().Equal("Microsoft.AspNetCore.App");

        var output = await BuildAndRunConsumerAsync();
        output.Should().Contain("Schema 'Not a schema' is not a plain PostgreSQL identifier")
            .And.Contain("Fix:", "the app built from the packages starts the store, which refuses the invalid option by name");
    }

    /// <summary>Builds an app from the two packages and runs it with an invalid option; returns what it printed as it failed.</summary>
    private async Task<string> BuildAndRunConsumerAsync()
    {
        var directory = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

        // CorsKit packages come from the packed feed only (source mapping); everything else (Npgsql) from the machine's
        // own sources, which stay configured and are mapped by name.
        var listed = await DotnetCli.RunAsync(_work, Timeout, null, "nuget", "list", "source");
        var machineSources = System.Text.RegularExpressions.Regex.Matches(listed, @"^\s*\d+\.\s+(\S+) \[Enabled\]", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        machineSources.Should().NotBeEmpty($"a NuGet source serves Npgsql:\n{listed}");
        var mappings = string.Concat(machineSources.Select(k => $"""<packageSource key="{k}"><package pattern="*" /></packageSource>"""));
        await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="corskit-under-test" value="{Feed}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="corskit-under-test"><package pattern="CorsKit*" /></packageSource>
                {mappings}
              </packageSourceMapping>
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
                <PackageReference Include="CorsKit.PostgreSql" Version="[{_version}]" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddCorsKit(options => options.AddPolicy("tenants", policy => policy.AllowOrigins("https://app.example.com")));
            builder.Services.AddCorsKitPostgreSqlOrigins(options =>
            {
                options.ConnectionString = "Host=127.0.0.1;Username=nobody";
                options.Schema = "Not a schema";
            });
            builder.Services.AddHealthChecks().AddCorsKitPostgreSql();
            var app = builder.Build();
            app.UseCorsKit("tenants");
            app.Run();
            """);

        var packages = Path.Combine(_work, "consumer-packages");
        await DotnetCli.RunAsync(directory, Timeout, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages },
            "build", "-c", "Release", "--disable-build-servers", "-nologo");

        var run = async () => await DotnetCli.RunAsync(directory, TimeSpan.FromMinutes(1), null,
            Path.Combine("bin", "Release", "net10.0", "Consumer.dll"), "--urls", "http://127.0.0.1:0");
        return (await run.Should().ThrowAsync<InvalidOperationException>("the app must not start with an invalid option")).Which.Message;
    }
}
