using System.Text;

namespace CorsKit.Tests.PublicApi;

/// <summary>A unified-style line diff (longest common subsequence), small enough for files of a few thousand lines.</summary>
internal static class LineDiff
{
    public static string Unified(IReadOnlyList<string> expected, IReadOnlyList<string> actual, int context = 2)
    {
        // common[i, j] = length of the longest common subsequence of expected[i..] and actual[j..].
        var common = new int[expected.Count + 1, actual.Count + 1];
        for (var i = expected.Count - 1; i >= 0; i--)
        {
            for (var j = actual.Count - 1; j >= 0; j--)
            {
                common[i, j] = string.Equals(expected[i], actual[j], StringComparison.Ordinal)
                    ? common[i + 1, j + 1] + 1
                    : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var script = new List<(char Mark, string Line, int ExpectedLine, int ActualLine)>();
        int e = 0, a = 0;
        while (e < expected.Count || a < actual.Count)
        {
            if (e < expected.Count && a < actual.Count && string.Equals(expected[e], actual[a], StringComparison.Ordinal))
            {
                script.Add((' ', expected[e], e + 1, a + 1));
                e++;
                a++;
            }
            else if (e < expected.Count && (a == actual.Count || common[e + 1, a] >= common[e, a + 1]))
            {
                script.Add(('-', expected[e], e + 1, a + 1));
                e++;
            }
            else
            {
                script.Add(('+', actual[a], e + 1, a + 1));
                a++;
            }
        }

        var output = new StringBuilder();
        var lastPrinted = -1;
        for (var k = 0; k < script.Count; k++)
        {
            if (script[k].Mark == ' ') continue;
            var start = Math.Max(lastPrinted + 1, k - context);
            if (start > lastPrinted + 1)
            {
                output.Append("@@ baseline line ").Append(script[start].ExpectedLine)
                    .Append(", current line ").Append(script[start].ActualLine).AppendLine(" @@");
            }

            var end = k;
            // Extend the hunk over changes that are close together.
            for (var m = k + 1; m < script.Count && m <= end + context * 2; m++)
            {
                if (script[m].Mark != ' ') end = m;
            }

            end = Math.Min(script.Count - 1, end + context);
            for (var m = start; m <= end; m++) output.Append(script[m].Mark).Append(' ').AppendLine(script[m].Line);
            lastPrinted = end;
            k = end;
        }

        return output.ToString();
    }
}
