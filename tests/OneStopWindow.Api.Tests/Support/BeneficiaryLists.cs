using System.Globalization;
using System.Text;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// Generates a former province's beneficiary list (CSV, the documented columns) with a known mix of cases, and
/// counts what an import of it must produce — computed here from how each row was made, not by the service's code.
/// </summary>
public sealed class BeneficiaryLists
{
    public sealed record Expected(int Rows, int Mapped, int Split, int Unknown, int Conflicting, int Duplicate, int Rejected, int RepeatedInFile)
    {
        public int Reverification => Split + Unknown + Conflicting + Duplicate;
        public int Imported => Mapped + Reverification;
    }

    public const string Header = "source_record_id,id_number,full_name,date_of_birth,old_commune_code,address_detail,benefit_code,beneficiary_group,monthly_amount_vnd,start_month,decision_number";

    /// <summary>
    /// Writes <paramref name="rows"/> rows (plus the header) to <paramref name="path"/>. Per 100 rows: 84 mapped (one
    /// successor), 3 split, 3 unknown, 3 conflicting identity, 3 duplicate person, 3 rejected, 1 the same record repeated.
    /// </summary>
    public static Expected Write(string path, int rows, string personPrefix, IReadOnlyList<string> oneToOne, IReadOnlyList<string> split)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine(Header);
        int mapped = 0, splits = 0, unknown = 0, conflicting = 0, duplicate = 0, rejected = 0, repeated = 0;
        string? lastMappedLine = null;
        var people = new Dictionary<int, (string Id, string Name, string Commune)>();
        for (var n = 1; n <= rows; n++)
        {
            var id = personPrefix + n.ToString("000000", CultureInfo.InvariantCulture);
            var name = "Hà Văn " + Letters(n);
            var commune = oneToOne[n % oneToOne.Count];
            string line;
            switch (n % 100)
            {
                case 10 or 40 or 70:
                    line = Line($"R{n}", id, name, split[n % split.Count]);
                    splits++;
                    break;
                case 11 or 41 or 71:
                    line = Line($"R{n}", id, name, "99999");
                    unknown++;
                    break;
                case 12 or 42 or 72 when people.TryGetValue(n - 3, out var p):
                    line = Line($"R{n}", p.Id, p.Name + " Khác", p.Commune);   // the number of row n-3, another name
                    conflicting++;
                    break;
                case 13 or 43 or 73 when people.TryGetValue(n - 5, out var p):
                    line = Line($"R{n}", p.Id, p.Name, p.Commune);   // row n-5's person again, same benefit, another record
                    duplicate++;
                    break;
                case 14 or 44 or 74:
                    line = Line($"R{n}", "12345", name, commune);
                    rejected++;
                    break;
                case 15 when lastMappedLine is not null:
                    line = lastMappedLine;   // the same record twice in one file
                    repeated++;
                    break;
                default:
                    line = Line($"R{n}", id, name, commune);
                    mapped++;
                    lastMappedLine = line;
                    people[n] = (id, name, commune);
                    break;
            }
            writer.WriteLine(line);
        }
        return new(rows, mapped, splits, unknown, conflicting, duplicate, rejected, repeated);
    }

    private static string Letters(int n)
    {
        var text = new StringBuilder();
        for (; n > 0; n /= 26) text.Insert(0, (char)('a' + n % 26));
        return char.ToUpperInvariant(text[0]) + text.ToString()[1..];
    }

    private static string Line(string record, string id, string name, string commune) =>
        $"{record},{id},\"{name}\",1945-06-01,{commune},\"Thôn Đồng, xóm 3\",BTXH-01,elderly-poor-no-supporter,750000,2024-01,\"12/QĐ-UBND\"";
}
