using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CorsKit.Cli.Tests.Audit.Infrastructure;

/// <summary>
/// Debian's nginx (installed by tests/run.sh) on 127.0.0.1 and a free port, with a configuration in a temporary
/// folder: one process in the foreground, stopped and removed when disposed.
/// </summary>
internal sealed class NginxServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private NginxServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        BaseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
    }

    public Uri BaseUrl { get; }

    public string Url(string path) => new Uri(BaseUrl, path).AbsoluteUri;

    /// <summary>
    /// Starts nginx serving <paramref name="files"/> with <paramref name="serverBlock"/> inside its server block and
    /// <paramref name="httpBlock"/> in its http block (relative paths there are inside the temporary folder).
    /// </summary>
    public static async Task<NginxServer> StartAsync(string serverBlock, IReadOnlyDictionary<string, string> files, string httpBlock = "")
    {
        var binary = FindBinary();
        var folder = Directory.CreateTempSubdirectory("corskit-nginx-").FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(folder, "html", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        // A port probed free can be taken before nginx binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), Configuration(folder, port, serverBlock, httpBlock));
            var process = Process.Start(new ProcessStartInfo(binary, ["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            if (await ListeningAsync(port, process)) return new NginxServer(process, folder, port);

            var log = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log")) : string.Empty;
            await Stop(process);
            if (attempt == 3 || !log.Contains("Address already in use", StringComparison.Ordinal))
            {
                Directory.Delete(folder, recursive: true);
                throw new InvalidOperationException($"nginx did not start on 127.0.0.1:{port}: {log}");
            }
        }
    }

    private static string Configuration(string folder, int port, string serverBlock, string httpBlock) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 64; }
        http {
            access_log off;
            default_type application/json;
            client_body_temp_path {{folder}}/body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            {{httpBlock}}
            server {
                listen 127.0.0.1:{{port}};
                root {{folder}}/html;
                {{serverBlock}}
            }
        }
        """;

    private static string FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Select(directory => Path.Combine(directory, "nginx"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: tests/run.sh installs Debian's nginx package (apt-get install nginx).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> ListeningAsync(int port, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    private static async Task Stop(Process process)
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Stop(_process);
        Directory.Delete(_folder, recursive: true);
    }
}
