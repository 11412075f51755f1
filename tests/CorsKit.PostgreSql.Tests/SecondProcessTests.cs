using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CorsKit.PostgreSql.Tests.Infrastructure;

namespace CorsKit.PostgreSql.Tests;

/// <summary>
/// Two processes: this test's node and the Fleet sample run with <c>dotnet</c>, both on the same table. A row added
/// through the sample's admin endpoint reaches the node in this process, and one added with SQL reaches the sample.
/// </summary>
public sealed class SecondProcessTests(PostgresServer server, ITestOutputHelper output) : StoreTest(server, output)
{
    [Fact]
    public async Task The_fleet_sample_in_its_own_process_and_a_node_in_this_one_follow_the_same_table()
    {
        var local = await StartNodeAsync();
        var port = Ports.Free();
        var output = new StringBuilder();
        using var sample = StartSample(port, output);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilHealthyAsync(client, sample, output);

            const string viaSample = "https://via-sample.customer-eight.example";
            using (var added = await client.PostAsJsonAsync("/admin/origins", new { policy = "tenants", origin = viaSample }))
            {
                added.StatusCode.Should().Be(HttpStatusCode.Created);
            }

            await EventuallyAsync("the row added by the other process", [local], n => n.AllowsAsync(viaSample));

            using (var refused = await client.PostAsJsonAsync("/admin/origins", new { policy = "tenants", origin = "https://Bad.example/" }))
            {
                refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
                (await refused.Content.ReadAsStringAsync()).Should().Contain("Write 'https://bad.example'");
            }

            const string viaSql = "https://via-sql.customer-eight.example";
            await InsertAsync("tenants", viaSql);
            var started = Stopwatch.GetTimestamp();
            while (!await AllowsAsync(client, viaSql))
            {
                Stopwatch.GetElapsedTime(started).Should().BeLessThan(ChangeDeadline, "the sample process follows the table too");
                await Task.Delay(10);
            }
        }
        finally
        {
            if (!sample.HasExited) sample.Kill(entireProcessTree: true);
            await sample.WaitForExitAsync();
            lock (output) Output.WriteLine(output.ToString());
        }
    }

    private Process StartSample(int port, StringBuilder output)
    {
        var binaries = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = binaries.Parent!.Name; // tests/CorsKit.PostgreSql.Tests/bin/<Configuration>/net10.0
        var root = binaries;
        while (!File.Exists(Path.Combine(root.FullName, "CorsKit.sln"))) root = root.Parent!;
        var dll = Path.Combine(root.FullName, "samples", "CorsKit.Fleet", "bin", configuration, binaries.Name, "CorsKit.Fleet.dll");
        File.Exists(dll).Should().BeTrue($"the sample is built with the tests ({dll})");

        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     dll, $"--ConnectionStrings:Fleet={Server.ConnectionString}", $"--Fleet:Port={port}", $"--Fleet:Store:Schema={Schema}",
                     $"--Fleet:Store:Channel={Schema}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client, Process sample, StringBuilder output)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            sample.HasExited.Should().BeFalse($"the sample exited early:\n{Snapshot(output)}");
            try
            {
                if (await client.GetStringAsync("/health") == "Healthy") return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Stopwatch.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(60), $"the sample starts:\n{Snapshot(output)}");
            await Task.Delay(100);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    private static async Task<bool> AllowsAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/data");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin;
    }

}
