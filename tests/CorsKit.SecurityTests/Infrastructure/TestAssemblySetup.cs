using System.Runtime.CompilerServices;

namespace CorsKit.SecurityTests.Infrastructure;

internal static class TestAssemblySetup
{
    /// <summary>Each in-memory host would otherwise watch appsettings.json and use up the machine's inotify instances.</summary>
    [ModuleInitializer]
    internal static void DisableHostConfigurationReload() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
