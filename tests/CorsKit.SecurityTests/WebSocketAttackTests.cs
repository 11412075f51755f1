using CorsKit.SecurityTests.Attacks;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests;

/// <summary>
/// Cross-site WebSocket hijacking: every attack origin of <see cref="AttackOriginTests"/>, sent on a WebSocket
/// handshake instead of a CORS request, is refused with 403 before the app, because the handshake goes through the
/// same origin check. The reference origins open (the positive control).
/// </summary>
public sealed class WebSocketAttackTests(RepresentativeServers servers) : IClassFixture<RepresentativeServers>
{
    public static TheoryData<string, string, string> Attacks => AttackOriginTests.Attacks;

    public static TheoryData<string, string> AllowedReferences => AttackOriginTests.AllowedReferences;

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_origin_cannot_open_a_WebSocket(string policy, string attackClass, string origin)
    {
        new CorsModel(RepresentativePolicies.Named(policy).Spec).AllowsOrigin(origin).Should().BeFalse($"{attackClass} derives refused origins");

        var handshake = await servers[policy].SendAsync(new RequestShape("GET", [origin]), webSocketHandshake: true);

        handshake.Error.Should().BeNull();
        handshake.Status.Should().Be(403);
        handshake.ReachedApp.Should().BeFalse("a refused handshake must never reach the app (or UseWebSockets)");
        handshake.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        handshake.VaryTokens.Should().Contain("Origin");
    }

    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public async Task Reference_origin_opens_a_WebSocket(string policy, string origin)
    {
        var handshake = await servers[policy].SendAsync(new RequestShape("GET", [origin]), webSocketHandshake: true);

        handshake.Error.Should().BeNull();
        handshake.ReachedApp.Should().BeTrue("the handshake from an allowed origin goes on to the app");
        handshake.Status.Should().Be(200, "the test app answers in place of UseWebSockets");
    }
}
