using System.Net;
using System.Net.Http.Json;
using CorsKit.Tenants;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CorsKit.Tests;

/// <summary>The SQLite tenants sample: an origin registered at run time starts to work at once.</summary>
public sealed class TenantsSampleTests : IDisposable
{
    private const string Tenant = "https://shop.tenant-one.example";

    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-tenants-").FullName;
    private readonly WebApplicationFactory<TenantOriginResolver> _factory;

    public TenantsSampleTests()
    {
        var database = Path.Combine(_directory, "tenants.db");
        _factory = new WebApplicationFactory<TenantOriginResolver>().WithWebHostBuilder(web => web.UseSetting("Tenants:Database", database));
    }

    public void Dispose()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<HttpResponseMessage> Get(HttpClient client, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/data");
        request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_newly_registered_origin_starts_to_work_at_once()
    {
        using var client = _factory.CreateClient();

        var before = await Get(client, Tenant);
        before.StatusCode.Should().Be(HttpStatusCode.OK);
        before.ShouldHaveNoCorsHeaders();
        before.VaryTokens().Should().Contain("Origin");

        var registered = await client.PostAsJsonAsync("/tenants/origins", new { origin = Tenant });
        registered.StatusCode.Should().Be(HttpStatusCode.Created);

        // The refusal above is cached for 10 s; registration invalidates it, so no waiting is needed.
        var after = await Get(client, Tenant);
        after.Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        after.Single("Access-Control-Allow-Credentials").Should().Be("true");
        after.Single("Access-Control-Expose-Headers").Should().Be("x-tenant-count");

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/data");
        preflight.Headers.Add("Origin", Tenant);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        (await client.SendAsync(preflight)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Get(client, "https://shop.tenant-two.example")).ShouldHaveNoCorsHeaders();
    }

    [Fact]
    public async Task Registering_an_origin_twice_is_harmless()
    {
        using var client = _factory.CreateClient();

        (await client.PostAsJsonAsync("/tenants/origins", new { origin = Tenant })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.PostAsJsonAsync("/tenants/origins", new { origin = Tenant })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Get(client, Tenant)).Single("Access-Control-Allow-Origin").Should().Be(Tenant);
    }

    [Theory]
    [InlineData("https://Shop.tenant-one.example", "register 'https://shop.tenant-one.example'")]
    [InlineData("https://shop.tenant-one.example/", "register 'https://shop.tenant-one.example'")]
    [InlineData("https://shop.tenant-one.example:443", "register 'https://shop.tenant-one.example'")]
    [InlineData("http://shop.tenant-one.example", "must use https")]
    [InlineData("null", "not an origin")]
    [InlineData("", "Send {")]
    public async Task A_malformed_or_insecure_origin_is_not_registered(string origin, string says)
    {
        using var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/tenants/origins", new { origin });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(says);
    }

    [Fact]
    public async Task The_static_console_origin_needs_no_database_row()
    {
        using var client = _factory.CreateClient();

        (await Get(client, "https://console.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://console.example.com");
    }
}
