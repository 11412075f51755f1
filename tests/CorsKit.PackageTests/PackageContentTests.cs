using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CorsKit.PackageTests.Infrastructure;

namespace CorsKit.PackageTests;

/// <summary>What `dotnet pack` puts in CorsKit's .nupkg and .snupkg, checked against what a published package needs.</summary>
[Collection(nameof(PackedLibraryTests))]
public sealed partial class PackageContentTests(PackedLibrary library)
{
    private const string Repository = "https://github.com/corskit/corskit";

    /// <summary>The CustomDebugInformation kind that holds a portable PDB's Source Link JSON.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitSha();

    private XElement Metadata => library.Nuspec.Root!.Element(library.NuspecNamespace + "metadata")!;

    private string Meta(string name) => Metadata.Element(library.NuspecNamespace + name)?.Value ?? string.Empty;

    private static byte[] Read(ZipArchive archive, string entry)
    {
        using var stream = archive.GetEntry(entry)?.Open() ?? throw new FileNotFoundException($"No {entry} in the package.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>NuGet's own bookkeeping entries (OPC parts), present in every package.</summary>
    private static bool IsPackagingPart(string entry) =>
        entry is "[Content_Types].xml" or "_rels/.rels" || entry.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal);

    [Fact]
    public void Package_file_is_named_for_the_version_set_once_in_Directory_Build_props()
    {
        var props = XDocument.Load(Path.Combine(PackedLibrary.RepositoryRoot(), "Directory.Build.props"));
        var version = props.Descendants("Version").Should().ContainSingle().Subject.Value;

        library.Version.Should().Be(version);
        Path.GetFileName(library.PackagePath).Should().Be($"CorsKit.{version}.nupkg");
        Path.GetFileName(library.SymbolsPackagePath).Should().Be($"CorsKit.{version}.snupkg");
    }

    [Fact]
    public void Package_holds_the_library_its_xml_docs_readme_and_changelog_and_nothing_else()
    {
        using var package = ZipFile.OpenRead(library.PackagePath);

        package.Entries.Select(e => e.FullName).Where(e => !IsPackagingPart(e)).Should().BeEquivalentTo(
            "CorsKit.nuspec", "README.md", "CHANGELOG.md", "lib/net10.0/CorsKit.dll", "lib/net10.0/CorsKit.xml");

        var source = Path.Combine(PackedLibrary.RepositoryRoot(), "src", "CorsKit");
        Read(package, "README.md").Should().Equal(File.ReadAllBytes(Path.Combine(source, "README.md")));
        Read(package, "CHANGELOG.md").Should().Equal(File.ReadAllBytes(Path.Combine(source, "CHANGELOG.md")));
    }

    [Fact]
    public void Nuspec_declares_id_licence_readme_repository_description_and_tags()
    {
        var ns = library.NuspecNamespace;

        Meta("id").Should().Be("CorsKit");
        var license = Metadata.Element(ns + "license");
        license.Should().NotBeNull();
        license!.Attribute("type")?.Value.Should().Be("expression");
        license.Value.Should().Be("MIT");
        Meta("readme").Should().Be("README.md");
        Meta("projectUrl").Should().Be(Repository);
        Meta("description").Should().Contain("CORS").And.Contain("ASP.NET Core");
        Meta("tags").Split(' ').Should().Contain(["cors", "aspnetcore", "middleware"]);
        Meta("releaseNotes").Should().Contain("CHANGELOG.md");

        var repository = Metadata.Element(ns + "repository");
        repository.Should().NotBeNull();
        repository!.Attribute("type")?.Value.Should().Be("git");
        repository.Attribute("url")?.Value.Should().Be(Repository);
        repository.Attribute("commit")?.Value.Should().MatchRegex(CommitSha());
    }

    [Fact]
    public void Package_needs_only_the_AspNetCore_shared_framework_and_no_other_package()
    {
        var ns = library.NuspecNamespace;

        Metadata.Element(ns + "dependencies")?.Descendants(ns + "dependency").Should().BeEmpty();
        Metadata.Element(ns + "frameworkReferences")!.Descendants(ns + "frameworkReference")
            .Select(f => f.Attribute("name")?.Value).Should().Equal("Microsoft.AspNetCore.App");
    }

    [Fact]
    public void Xml_documentation_in_the_package_covers_every_public_type_of_the_packed_assembly()
    {
        using var package = ZipFile.OpenRead(library.PackagePath);
        using var pe = new PEReader(new MemoryStream(Read(package, "lib/net10.0/CorsKit.dll")));
        var docs = XDocument.Load(new MemoryStream(Read(package, "lib/net10.0/CorsKit.xml")));

        var documented = docs.Descendants("member")
            .Where(m => !string.IsNullOrWhiteSpace(m.Element("summary")?.Value))
            .Select(m => m.Attribute("name")!.Value)
            .ToHashSet(StringComparer.Ordinal);
        var publicTypes = PublicTypeDocIds(pe.GetMetadataReader()).ToList();

        docs.Root!.Element("assembly")?.Element("name")?.Value.Should().Be("CorsKit");
        publicTypes.Should().Contain("T:CorsKit.CorsKitOptions", "the reader must see the public surface at all");
        publicTypes.Where(id => !documented.Contains(id)).Should().BeEmpty("every public type needs a <summary>");
    }

    [Fact]
    public void Symbols_package_has_the_matching_pdb_with_source_link_to_the_packed_commit()
    {
        using var package = ZipFile.OpenRead(library.PackagePath);
        using var symbols = ZipFile.OpenRead(library.SymbolsPackagePath);
        symbols.Entries.Select(e => e.FullName).Where(e => !IsPackagingPart(e))
            .Should().BeEquivalentTo("CorsKit.nuspec", "lib/net10.0/CorsKit.pdb");

        using var pe = new PEReader(new MemoryStream(Read(package, "lib/net10.0/CorsKit.dll")));
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Read(symbols, "lib/net10.0/CorsKit.pdb")));
        var pdb = pdbProvider.GetMetadataReader();

        // The debugger accepts a pdb only if its id matches the one recorded in the dll.
        var codeView = pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.CodeView);
        var expectedId = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;
        new Guid(pdb.DebugMetadataHeader!.Id.AsSpan(0, 16)).Should().Be(expectedId);

        var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .Where(info => pdb.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => pdb.GetBlobBytes(info.Value))
            .Should().ContainSingle("the pdb must carry Source Link").Subject;
        var commit = Metadata.Element(library.NuspecNamespace + "repository")!.Attribute("commit")!.Value;
        using var json = JsonDocument.Parse(sourceLink);
        json.RootElement.GetProperty("documents").EnumerateObject()
            .Select(p => (p.Name, p.Value.GetString()))
            .Should().Equal(("/_/*", $"https://raw.githubusercontent.com/corskit/corskit/{commit}/*"));

        // A CI-stamped build maps the repository to /_/: no path of the build machine ends up in the symbols.
        var documents = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).ToList();
        documents.Should().Contain("/_/src/CorsKit/CorsKitOptions.cs");
        documents.Should().OnlyContain(d => d.StartsWith("/_/", StringComparison.Ordinal));
    }

    /// <summary>Documentation ids (<c>T:Namespace.Type</c>) of the types visible outside the assembly.</summary>
    internal static IEnumerable<string> PublicTypeDocIds(MetadataReader reader)
    {
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var name = reader.GetString(type.Name);
            var visible = true;
            var current = type;
            while (true)
            {
                var visibility = current.Attributes & TypeAttributes.VisibilityMask;
                if (visibility is not (TypeAttributes.Public or TypeAttributes.NestedPublic))
                {
                    visible = false;
                    break;
                }

                if (visibility == TypeAttributes.Public)
                {
                    name = reader.GetString(current.Namespace) is { Length: > 0 } ns ? ns + "." + name : name;
                    break;
                }

                current = reader.GetTypeDefinition(current.GetDeclaringType());
                name = reader.GetString(current.Name) + "." + name;
            }

            if (visible) yield return "T:" + name;
        }
    }
}
