using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace CorsKit.PostgreSql.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the tests: Debian's binaries (/usr/lib/postgresql/&lt;version&gt;/bin, installed by
/// tests/run.sh), a cluster made by initdb in a temporary folder owned by the postgres user, a free 127.0.0.1 port,
/// trust authentication for 127.0.0.1 only, its socket in the same folder. Stopped (and killed if it will not stop)
/// when the fixture is disposed or the test process exits.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly string _root = Directory.CreateTempSubdirectory("corskit-pg-").FullName;
    private string _bin = string.Empty;
    private bool _running;

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>A connection string for the server's <c>postgres</c> database as the <c>postgres</c> role.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=60";

    private static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        Port = Ports.Free();
        if (IsRoot) await RunAsync("chown", "-R", "postgres:postgres", _root);
        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8");
        var conf = new StringBuilder()
            .AppendLine($"port = {Port}")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine($"unix_socket_directories = '{_root}'")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off");
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), conf.ToString());
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), "host all all 127.0.0.1/32 trust\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        await StartAsync();
    }

    public async Task StartAsync()
    {
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start");
        _running = true;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Fast shutdown: open connections are closed by the server, as in a restart or a failover.</summary>
    public async Task StopAsync()
    {
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    public NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_running) await StopAsync();
        }
        catch (Exception)
        {
            Kill();
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A server that had to be killed may still hold a file for a moment; the folder is under the temp directory.
        }
    }

    /// <summary>Kills the postmaster named in postmaster.pid, if any (last resort).</summary>
    private void Kill()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return;
        try
        {
            var pid = int.Parse(File.ReadLines(pidFile).First().Trim());
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception)
        {
            // Already gone.
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin. Install Debian's postgresql package "
            + "(tests/run.sh does: install_debian_packages initdb:postgresql).");
    }


    private Task RunAsPostgresAsync(string program, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_root, "server.log");
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}"
                + (File.Exists(log) ? "\nserver.log:\n" + await File.ReadAllTextAsync(log) : string.Empty));
        }
    }
}

[CollectionDefinition(nameof(PostgresTests))]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>;
