using System.Text.Json;

namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// One statement's changes as the table's trigger sends them in a notification's payload:
/// <c>{"t": "schema.table", "n": 1, "d": [["policy", "origin"], ...], "i": [["policy", "origin"], ...]}</c> (rows
/// deleted, then rows inserted; an update is both). A payload from another table on the same channel changes nothing.
/// An empty payload (a TRUNCATE, or a statement that changed too many rows to carry) or
/// one that does not parse means "read the whole table".
/// </summary>
internal static class StoreChange
{
    /// <summary>Rows one payload carries at most; a bigger statement makes every node read the table.</summary>
    public const int MaxRowsInPayload = 50;

    /// <summary>Below PostgreSQL's 8000-byte payload limit, with room to spare.</summary>
    public const int MaxPayloadBytes = 7500;

    /// <summary>
    /// Applies the payload's changes to <paramref name="rows"/> in order; false when the payload asks for a full read
    /// (then <paramref name="rows"/> is unchanged). Each change sets a row's presence, so replaying a change the
    /// snapshot already holds leaves it as it is: notifications that raced with the snapshot's read are harmless.
    /// </summary>
    public static bool TryApply(string payload, string table, HashSet<CorsKitStoreOrigin> rows)
    {
        if (payload.Length == 0) return false;
        List<CorsKitStoreOrigin> deleted, inserted;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryRead(root, "d", out deleted)
                || !TryRead(root, "i", out inserted))
            {
                return false;
            }

            if (root.TryGetProperty("t", out var source) && source.ValueKind == JsonValueKind.String && source.GetString() != table) return true;
        }
        catch (JsonException)
        {
            return false;
        }

        foreach (var row in deleted) rows.Remove(row);
        foreach (var row in inserted) rows.Add(row);
        return true;
    }

    private static bool TryRead(JsonElement root, string name, out List<CorsKitStoreOrigin> rows)
    {
        rows = [];
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) return false;
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2) return false;
            var policy = entry[0];
            var origin = entry[1];
            if (policy.ValueKind != JsonValueKind.String || origin.ValueKind != JsonValueKind.String) return false;
            rows.Add(new CorsKitStoreOrigin(policy.GetString()!, origin.GetString()!));
        }

        return true;
    }
}
