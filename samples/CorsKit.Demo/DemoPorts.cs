using System.Globalization;

namespace CorsKit.Demo;

/// <summary>
/// The three ports the demo listens on (all on 127.0.0.1). Defaults 5100, 5101, 5102; override with
/// <c>--api-port</c>, <c>--allowed-port</c>, <c>--refused-port</c> or the environment variables
/// <c>CORSKIT_DEMO_API_PORT</c>, <c>CORSKIT_DEMO_ALLOWED_PORT</c>, <c>CORSKIT_DEMO_REFUSED_PORT</c>.
/// </summary>
internal sealed record DemoPorts(int Api, int Allowed, int Refused)
{
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--api-port"] = "API_PORT",
        ["--allowed-port"] = "ALLOWED_PORT",
        ["--refused-port"] = "REFUSED_PORT",
    };

    /// <summary>The ports appsettings.json is written for: its policies allow the allowed page at 5101.</summary>
    public static DemoPorts Defaults { get; } = new(5100, 5101, 5102);

    public string ApiOrigin => Origin(Api);

    public string AllowedOrigin => Origin(Allowed);

    public string RefusedOrigin => Origin(Refused);

    public static DemoPorts Read(string[] args)
    {
        // Keys match the environment variables once their prefix is stripped, so both sources share one name.
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables("CORSKIT_DEMO_")
            .AddCommandLine(args, Switches)
            .Build();

        var ports = new DemoPorts(
            Port(config, "API_PORT", "--api-port", Defaults.Api),
            Port(config, "ALLOWED_PORT", "--allowed-port", Defaults.Allowed),
            Port(config, "REFUSED_PORT", "--refused-port", Defaults.Refused));

        if (new[] { ports.Api, ports.Allowed, ports.Refused }.Distinct().Count() != 3)
        {
            throw new DemoStartupException($"The three ports must differ (API {ports.Api}, allowed {ports.Allowed}, refused {ports.Refused}).");
        }

        return ports;
    }

    private static int Port(IConfiguration config, string key, string option, int fallback)
    {
        var value = config[key];
        if (value is null) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535) return port;
        throw new DemoStartupException($"{option} (or CORSKIT_DEMO_{key}) must be a port number from 1 to 65535, not '{value}'.");
    }

    private static string Origin(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
}

/// <summary>A start-up problem worth one clear line on the console rather than a stack trace.</summary>
internal sealed class DemoStartupException(string message) : Exception(message);
