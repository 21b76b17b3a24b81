using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;
using NewsFeed.Storage;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Writes a store of N synthetic articles to a SQLite file. The schema is the store's own
/// (<see cref="SqliteSchema"/>); the rows are written in bulk, in big transactions
/// without fsync, because the store's durable one-article-per-transaction path would take hours for a
/// million. The rows hold what that path would write (the document, status, times, one
/// <c>article_terms</c> row per section, author and tag), and <see cref="VerifyAsync"/> checks the
/// result through the real store before any figure is taken from it.
/// </summary>
internal static class SyntheticStore
{
    private const int BatchSize = 20_000;

    public static Task<int> GenerateAsync(string path, long count) => GenerateAsync(path, count, n => SyntheticArticles.Make(n));

    /// <summary>A store of articles 0 to <paramref name="count"/> - 1 as <paramref name="make"/> makes them (newest last).</summary>
    public static async Task<int> GenerateAsync(string path, long count, Func<long, Article> make)
    {
        if (File.Exists(path))
        {
            Console.Error.WriteLine($"{path} exists; remove it first.");
            return 2;
        }
        var partial = path + ".partial";
        foreach (var stale in new[] { partial, partial + "-wal", partial + "-shm" }) File.Delete(stale);
        var started = Stopwatch.StartNew();

        await SqliteSchema.MigrateAsync(new SqliteFile(partial), CancellationToken.None);
        await using (var connection = new SqliteConnection(new SqliteFile(partial).ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var pragma in new[] { "PRAGMA synchronous = OFF;", "PRAGMA cache_size = -262144;", "PRAGMA temp_store = MEMORY;" })
            {
                await SqliteFile.ExecuteAsync(connection, null, pragma, [], CancellationToken.None);
            }

            // Making and serializing articles runs beside the SQLite writes (two cores: one each).
            var rows = Channel.CreateBounded<(Article Article, string Doc)>(new BoundedChannelOptions(4_096) { SingleReader = true, SingleWriter = true });
            var producer = Task.Run(async () =>
            {
                for (long n = 0; n < count; n++)
                {
                    var article = make(n);
                    await rows.Writer.WriteAsync((article, JsonSerializer.Serialize(article, ArticleJson.Stored.Article)));
                }
                rows.Writer.Complete();
            });

            var written = 0L;
            while (await rows.Reader.WaitToReadAsync())
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var insert = Command(connection, transaction, """
                    INSERT INTO articles (id, status, published_at, updated_at, visible_from, doc)
                    VALUES ($id, 1, $published, $updated, $published, $doc) RETURNING seq;
                    """, "$id", "$published", "$updated", "$doc");
                await using var term = Command(connection, transaction, """
                    INSERT OR IGNORE INTO article_terms (kind, slug, seq, name, status, published_at, visible_from)
                    VALUES ($kind, $slug, $seq, $name, 1, $published, $published);
                    """, "$kind", "$slug", "$seq", "$name", "$published");
                var inBatch = 0;
                while (inBatch < BatchSize && rows.Reader.TryRead(out var row))
                {
                    var published = row.Article.Published.ToUnixTimeMilliseconds();
                    insert.Parameters["$id"].Value = row.Article.Id.ToString();
                    insert.Parameters["$published"].Value = published;
                    insert.Parameters["$updated"].Value = row.Article.Updated.ToUnixTimeMilliseconds();
                    insert.Parameters["$doc"].Value = row.Doc;
                    var seq = (long)(await insert.ExecuteScalarAsync())!;
                    foreach (var (kind, slug, name) in row.Article.Terms())
                    {
                        term.Parameters["$kind"].Value = (int)kind;
                        term.Parameters["$slug"].Value = slug;
                        term.Parameters["$seq"].Value = seq;
                        term.Parameters["$name"].Value = name;
                        term.Parameters["$published"].Value = published;
                        await term.ExecuteNonQueryAsync();
                    }
                    inBatch++;
                }
                // One revision per article, as if each had been written by the store.
                written += inBatch;
                await SqliteFile.ExecuteAsync(connection, transaction, "UPDATE meta SET value = $revision WHERE key = 'revision';", [("$revision", written)], CancellationToken.None);
                await transaction.CommitAsync();
                if (written % 100_000 == 0) Console.WriteLine($"  {written:N0} articles, {started.Elapsed.TotalSeconds:F0} s");
            }
            await producer;
            await SqliteFile.ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(TRUNCATE);", [], CancellationToken.None);
        }
        SqliteConnection.ClearAllPools();

        var problem = await VerifyAsync(partial, count, make);
        if (problem is not null)
        {
            Console.Error.WriteLine($"The generated store is wrong: {problem}");
            return 1;
        }
        File.Move(partial, path);
        Console.WriteLine($"{path}: {count:N0} articles, {new FileInfo(path).Length / 1_048_576.0:F0} MiB, {started.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    /// <summary>
    /// Through the real store: the count, the newest page of latest and of the bench section is exactly the
    /// newest synthetic articles, and a sample of them comes back unchanged from the import rules
    /// (so the bulk path stored what validation and sanitizing would have stored).
    /// </summary>
    public static async Task<string?> VerifyAsync(string path, long count, Func<long, Article> make)
    {
        var file = new SqliteFile(path);
        await SqliteSchema.MigrateAsync(file, CancellationToken.None);
        using var store = new SqliteArticleStore(file);
        var stored = await store.CountAsync(CancellationToken.None);
        if (stored != count) return $"{stored} articles, expected {count}";
        var now = DateTimeOffset.UtcNow;
        var newest = await store.GetNewestAsync(null, now, 51, CancellationToken.None);
        for (var i = 0; i < newest.Count; i++)
        {
            var expected = make(count - 1 - i);
            if (Json(newest[i]) != Json(expected)) return $"latest item {i} is not article {count - 1 - i}";
            var errors = ArticleRules.Validate(expected);
            if (errors.Count > 0) return $"article {count - 1 - i} is invalid: {string.Join("; ", errors.Keys)}";
            if (Json(ArticleRules.Normalize(expected, ContentSanitizer.Default)) != Json(expected)) return $"article {count - 1 - i} changes when normalized";
        }
        var section = await store.GetNewestAsync(new TermRef(TermKind.Section, SyntheticArticles.BenchSection), now, 51, CancellationToken.None);
        if (count >= 1_000 && section.Count < 51) return $"the {SyntheticArticles.BenchSection} section has only {section.Count} articles";
        if (section.Any(a => a.Sections.All(s => s.Slug != SyntheticArticles.BenchSection))) return "the section feed holds an article outside the section";
        if (section.Zip(section.Skip(1)).Any(pair => pair.First.Published < pair.Second.Published)) return "the section feed is not newest first";
        return null;
    }

    private static string Json(Article article) => JsonSerializer.Serialize(article, ArticleJson.Default.Article);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }
}
