using CorsKit.PostgreSql.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.PostgreSql.Tests;

/// <summary>Rows written with SQL reach two running nodes: insert, update, delete, bulk, invalid rows, unknown policies.</summary>
public sealed class StoreChangeTests(PostgresServer server, ITestOutputHelper output) : StoreTest(server, output)
{
    [Fact]
    public async Task Insert_update_and_delete_reach_both_nodes_on_top_of_the_configured_origins()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        Node[] both = [a, b];
        const string tenant = "https://shop.customer-one.example";
        const string moved = "https://www.customer-one.example";

        (await a.AllowsAsync(tenant)).Should().BeFalse("the table is empty");
        (await a.AllowsAsync(Node.ConfiguredOrigin)).Should().BeTrue();

        await InsertAsync("tenants", tenant);
        await EventuallyAsync("the inserted origin allowed", both, n => n.AllowsAsync(tenant));
        (await b.AllowsAsync(tenant, "partners")).Should().BeFalse("a row adds its origin to its own policy only");
        (await b.AllowsAsync(Node.ConfiguredOrigin)).Should().BeTrue("store origins come on top of the policy's own");

        await SqlAsync($"UPDATE {Table} SET origin = '{moved}' WHERE origin = '{tenant}'");
        await EventuallyAsync("the updated origin allowed", both, n => n.AllowsAsync(moved));
        foreach (var node in both) (await node.AllowsAsync(tenant)).Should().BeFalse("the row no longer holds the old origin");

        await SqlAsync($"DELETE FROM {Table} WHERE origin = '{moved}'");
        await EventuallyAsync("the deleted origin refused", both, async n => !await n.AllowsAsync(moved));
        foreach (var node in both) (await node.AllowsAsync(Node.ConfiguredOrigin)).Should().BeTrue();
    }

    [Fact]
    public async Task Subdomain_and_port_patterns_from_rows_match_like_configured_ones()
    {
        var node = await StartNodeAsync();
        await InsertAsync("tenants", "https://*.customer-two.example");
        await InsertAsync("tenants", "http://localhost:*");
        await EventuallyAsync("the patterns loaded", [node], n => n.AllowsAsync("https://eu.app.customer-two.example"));

        (await node.AllowsAsync("http://localhost:5173")).Should().BeTrue();
        (await node.AllowsAsync("https://customer-two.example")).Should().BeFalse("'*.' needs at least one label");
        (await node.AllowsAsync("https://evil-customer-two.example")).Should().BeFalse();
        (await node.AllowsAsync("http://eu.customer-two.example")).Should().BeFalse("the scheme is part of the pattern");
    }

    [Fact]
    public async Task Bulk_insert_of_100000_rows_serves_them_all_on_both_nodes()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        await SqlAsync($"INSERT INTO {Table} (policy, origin) SELECT 'tenants', 'https://t' || i || '.bulk.example' FROM generate_series(1, 100000) i");

        await EventuallyAsync("100,000 store origins serving", [a, b],
            n => Task.FromResult(n.Services.GetRequiredService<ICorsKitStoreOrigins>().Count == 100_000));
        foreach (var i in new[] { 1, 4242, 77777, 100000 })
        {
            (await a.AllowsAsync($"https://t{i}.bulk.example")).Should().BeTrue();
            (await b.AllowsAsync($"https://t{i}.bulk.example")).Should().BeTrue();
        }

        (await a.AllowsAsync("https://t100001.bulk.example")).Should().BeFalse();
        a.Logs.WithEvent(401).Should().NotBeEmpty("the change was loaded on a notification");
        Output.WriteLine(string.Join('\n', a.Logs.WithEvent(401)));
    }

    [Fact]
    public async Task Invalid_rows_and_unknown_policies_are_skipped_logged_once_and_allow_nothing()
    {
        var node = await StartNodeAsync();
        const string good = "https://good.customer-three.example";
        await SqlAsync($"""
            INSERT INTO {Table} (policy, origin) VALUES
              ('tenants', '{good}'),
              ('tenants', 'https://App.customer-three.example'),
              ('tenants', 'https://ok.customer-three.example/'),
              ('tenants', '*'),
              ('tenants', 'null'),
              ('tenants', 'customer-three.example'),
              ('partners', 'http://plain.customer-three.example'),
              ('partners', 'https://*.com'),
              ('public', 'https://any.customer-three.example'),
              ('no-such-policy', 'https://lost.customer-three.example')
            """);
        await EventuallyAsync("the valid row allowed", [node], n => n.AllowsAsync(good));

        (await node.AllowsAsync("https://app.customer-three.example")).Should().BeFalse("an upper-case row is refused, not corrected");
        (await node.AllowsAsync("https://ok.customer-three.example")).Should().BeFalse("a row with a trailing slash is refused");
        (await node.AllowsAsync("https://anything.example")).Should().BeFalse("a '*' row never opens the policy");
        (await node.AllowsAsync("null")).Should().BeFalse();
        (await node.AllowsAsync("http://plain.customer-three.example", "partners")).Should().BeFalse("plain http with credentials");
        (await node.AllowsAsync("https://x.com", "partners")).Should().BeFalse("a public-suffix wildcard with credentials");
        (await node.AllowsAsync("https://lost.customer-three.example")).Should().BeFalse();
        node.Services.GetRequiredService<ICorsKitStoreOrigins>().Count.Should().Be(1);

        var skips = node.Logs.WithEvent(110).ToList();
        Output.WriteLine(string.Join('\n', skips));
        skips.Should().HaveCount(9);
        skips.Should().ContainSingle(s => s.Contains("'https://App.customer-three.example'") && s.Contains("upper-case host")
            && s.Contains("Write 'https://app.customer-three.example'"));
        skips.Should().ContainSingle(s => s.Contains("policy 'partners'") && s.Contains("plain-http origin"));
        skips.Should().ContainSingle(s => s.Contains("policy 'no-such-policy'") && s.Contains("No policy has this name")
            && s.Contains("'partners', 'public', 'tenants'"));
        skips.Should().OnlyContain(s => s.Contains(Table), "each line names the table the row is in");

        // Another change reloads the table: the same skipped rows are not logged again.
        await InsertAsync("tenants", "https://second.customer-three.example");
        await EventuallyAsync("the second row allowed", [node], n => n.AllowsAsync("https://second.customer-three.example"));
        node.Logs.WithEvent(110).Should().HaveCount(9);
    }

    [Fact]
    public async Task Admin_api_validates_before_writing_and_every_node_follows()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var admin = a.Services.GetRequiredService<CorsKitPostgreSqlOriginAdmin>();
        const string origin = "https://admin.customer-four.example";

        (await admin.AddAsync("tenants", origin)).Should().BeTrue();
        (await admin.AddAsync("tenants", origin)).Should().BeFalse("the row is there already");
        await EventuallyAsync("the added origin allowed", [a, b], n => n.AllowsAsync(origin));

        var invalid = async () => await admin.AddAsync("tenants", "https://Admin.customer-four.example/");
        (await invalid.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Errors.Should().ContainSingle()
            .Which.Fix.Should().Be("Write 'https://admin.customer-four.example'.");
        var unknown = async () => await admin.AddAsync("nope", origin);
        (await unknown.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Errors.Single().Problem.Should().Contain("No policy");
        (await Server.ScalarAsync($"SELECT count(*) FROM {Table}")).Should().Be(1, "refused rows are never written");

        (await admin.RemoveAsync("tenants", origin)).Should().BeTrue();
        (await admin.RemoveAsync("tenants", origin)).Should().BeFalse();
        await EventuallyAsync("the removed origin refused", [a, b], async n => !await n.AllowsAsync(origin));
    }

    [Fact]
    public async Task Two_nodes_starting_at_once_on_an_empty_database_create_the_schema_once_and_both_follow()
    {
        (await Server.ScalarAsync($"SELECT count(*) FROM pg_namespace WHERE nspname = '{Schema}'")).Should().Be(0);

        var nodes = await Task.WhenAll(StartNodeAsync(), StartNodeAsync());

        (await Server.ScalarAsync($"SELECT count(*) FROM pg_trigger WHERE tgrelid = '{Table}'::regclass AND NOT tgisinternal")).Should().Be(4, "insert, update, delete (each with its transition tables) and truncate");
        nodes.Sum(n => n.Logs.WithEvent(405).Count()).Should().Be(1, "the advisory lock lets one node create; the other finds it done");
        await InsertAsync("tenants", "https://race.customer-five.example");
        await EventuallyAsync("the origin allowed", nodes, n => n.AllowsAsync("https://race.customer-five.example"));
    }

    [Fact]
    public async Task A_small_change_is_applied_from_its_notification_and_a_big_one_reads_the_table()
    {
        var node = await StartNodeAsync();
        const string silent = "https://silent.customer-ten.example";
        const string small = "https://small.customer-ten.example";

        // A row written with the triggers off sends nothing; a small statement after it carries only its own row, so
        // the node applies that row without reading the table (and so without seeing the silent one).
        await SqlAsync($"ALTER TABLE {Table} DISABLE TRIGGER USER; INSERT INTO {Table} VALUES ('tenants', '{silent}'); "
            + $"ALTER TABLE {Table} ENABLE TRIGGER USER");
        await InsertAsync("tenants", small);
        await EventuallyAsync("the small change", [node], n => n.AllowsAsync(small));
        (await node.AllowsAsync(silent)).Should().BeFalse("the small change came in its notification, not from a read of the table");

        // More rows than one payload carries: every node reads the whole table, silent row included.
        await SqlAsync($"INSERT INTO {Table} (policy, origin) SELECT 'tenants', 'https://b' || i || '.customer-ten.example' "
            + "FROM generate_series(1, 60) i");
        await EventuallyAsync("the big change, read from the table", [node], n => n.AllowsAsync(silent));
        (await node.AllowsAsync("https://b60.customer-ten.example")).Should().BeTrue();
    }

    [Fact]
    public async Task Changes_of_one_transaction_apply_in_order_even_when_two_of_them_are_identical()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        const string back = "https://back.customer-eleven.example";
        const string gone = "https://gone.customer-eleven.example";
        const string marker = "https://marker.customer-eleven.example";

        // Insert, delete, insert the same row: the first and third notifications would be identical, and PostgreSQL
        // delivers identical payloads of one transaction once. The row must end up present on both nodes.
        await SqlAsync($"BEGIN; INSERT INTO {Table} VALUES ('tenants', '{back}'); DELETE FROM {Table} WHERE origin = '{back}'; "
            + $"INSERT INTO {Table} VALUES ('tenants', '{back}'); INSERT INTO {Table} VALUES ('tenants', '{gone}'); "
            + $"UPDATE {Table} SET origin = '{gone}x' WHERE origin = '{gone}'; DELETE FROM {Table} WHERE origin = '{gone}x'; "
            + $"INSERT INTO {Table} VALUES ('tenants', '{marker}'); COMMIT");

        await EventuallyAsync("the transaction's last change", [a, b], n => n.AllowsAsync(marker));
        foreach (var node in new[] { a, b })
        {
            (await node.AllowsAsync(back)).Should().BeTrue("inserted, deleted and inserted again: present");
            (await node.AllowsAsync(gone)).Should().BeFalse("updated away, then deleted");
            (await node.AllowsAsync(gone + "x")).Should().BeFalse();
        }
    }

    [Fact]
    public async Task A_change_to_another_table_on_the_same_channel_changes_nothing_here()
    {
        var here = await StartNodeAsync();
        var otherSchema = Schema + "_other";
        var there = await StartNodeAsync(o => o.Schema = otherSchema);
        const string theirs = "https://theirs.customer-twelve.example";
        const string ours = "https://ours.customer-twelve.example";

        await SqlAsync($"INSERT INTO {otherSchema}.corskit_origins VALUES ('tenants', '{theirs}')");
        await EventuallyAsync("the other table's row on its own node", [there], n => n.AllowsAsync(theirs));

        // Notifications arrive in commit order: once this node shows our later row, it has seen theirs too.
        await InsertAsync("tenants", ours);
        await EventuallyAsync("our row", [here], n => n.AllowsAsync(ours));
        (await here.AllowsAsync(theirs)).Should().BeFalse("the payload named the other table");
        (await there.AllowsAsync(ours)).Should().BeFalse();
    }

    [Fact]
    public async Task A_change_that_sent_no_notification_arrives_with_the_periodic_resync()
    {
        var node = await StartNodeAsync(o =>
        {
            o.ResyncInterval = TimeSpan.FromSeconds(1);
            o.StalenessBound = TimeSpan.FromSeconds(30);
        });
        const string origin = "https://silent.customer-nine.example";

        // A write that bypasses the trigger (as a restore or a replica promotion could): no notification is sent.
        await SqlAsync($"ALTER TABLE {Table} DISABLE TRIGGER USER; INSERT INTO {Table} VALUES ('tenants', '{origin}'); "
            + $"ALTER TABLE {Table} ENABLE TRIGGER USER");

        await EventuallyAsync("the silent row, through the resync", [node], n => n.AllowsAsync(origin));
        node.Logs.WithEvent(401).Should().BeEmpty("no notification was sent");
        node.Logs.WithEvent(402).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Health_check_and_metrics_report_the_snapshot()
    {
        var node = await StartNodeAsync();
        const string origin = "https://metrics.customer-six.example";
        var measurements = MetricsProbe.Collect(node.Services, async () =>
        {
            await InsertAsync("tenants", origin);
            await EventuallyAsync("the origin allowed", [node], n => n.AllowsAsync(origin));
        });

        (await node.Client.GetStringAsync("/health")).Should().Be("Healthy");
        measurements.Should().Contain(("corskit.store.origins", 1));
        measurements.Should().Contain(m => m.Name == "corskit.store.snapshot.age" && m.Value >= 0);
        measurements.Should().Contain(m => m.Name == "corskit.store.reload.duration" && m.Value > 0);
    }
}
