namespace NewsFeed.Partners;

/// <summary>
/// The feed queries over <c>partner_items</c>, one text for both engines (only the parameter marker differs), so
/// the plan tests read exactly what the stores run. Each seeks below <c>time/seq</c> in the one index of its
/// filter (<c>ix_partner_items_partner</c>, <c>_section</c> or <c>_newest</c>), walks it in order and stops at the
/// limit: a deep page costs what the first does.
/// </summary>
internal static class PartnerItemQueries
{
    /// <param name="keysOnly">Only <c>sort_at, seq</c>, answered from the index without reading a document.</param>
    /// <param name="marker"><c>$</c> for SQLite, <c>@</c> for PostgreSQL.</param>
    public static string Newest(string? partnerId, string? section, bool keysOnly, char marker)
    {
        var filters = new List<string>(2);
        if (partnerId is not null) filters.Add($"partner_id = {marker}partner");
        else if (section is not null) filters.Add($"section = {marker}section");
        if (!keysOnly) filters.Add($"(sort_at, seq) < ({marker}time, {marker}seq)");
        var where = filters.Count > 0 ? "WHERE " + string.Join(" AND ", filters) : "";
        var columns = keysOnly ? "sort_at, seq" : "sort_at, seq, doc";
        return $"SELECT {columns} FROM partner_items {where} ORDER BY sort_at DESC, seq DESC LIMIT {marker}count;";
    }
}
