using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace NewsFeed.Reliability;

/// <summary>
/// A PostgreSQL 15 cluster of its own for one phase: initdb into a folder of the work directory, a free loopback
/// port, password authentication on 127.0.0.1 only (no other address listens), one database. It can be stopped
/// and started again on the same port (the fault the cluster phase injects) and is removed at the end.
/// initdb and postgres refuse to run as root, so as root every command runs as the OS user postgres (the Debian
/// package creates it); as anyone else, as that user.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string User = "newsfeed";
    private const string Database = "newsfeed";

    private readonly string _folder;
    private readonly string _keepLogIn;
    private readonly string _password;
    private bool _running;

    private ThrowawayPostgres(string folder, string keepLogIn, int port, string password)
    {
        _folder = folder;
        _keepLogIn = keepLogIn;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    /// <summary>The server's own log (start-up, shutdown, connection errors); copied to the work directory at the end.</summary>
    public string LogPath => Path.Combine(_folder, "postgres.log");

    private string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>Npgsql's form; the pool is capped so three instances stay under max_connections.</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database={Database};Username={User};Password={_password};Maximum Pool Size=40";

    /// <summary>initdb, start, create the database; the folder is removed again when anything fails.</summary>
    /// <param name="workDirectory">Where the server's log is kept when it is removed.</param>
    public static async Task<ThrowawayPostgres> StartAsync(string workDirectory)
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException($"No PostgreSQL 15 in {Binaries}: apt-get install postgresql (reliability/run does, as root).");
        }
        // A folder of its own under /tmp (mode 0700, then handed to postgres): the work directory may be one the
        // postgres user cannot enter, and the socket's path must stay under 108 bytes.
        var folder = Directory.CreateTempSubdirectory("newsfeed-pg-").FullName;
        var postgres = new ThrowawayPostgres(folder, workDirectory, NewsFeedServer.FreePort(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        try
        {
            var passwordFile = Path.Combine(folder, "password");
            await File.WriteAllTextAsync(passwordFile, postgres._password + "\n");
            if (Environment.IsPrivilegedProcess) await RunAsync("chown", ["-R", "postgres:postgres", folder], asPostgres: false);
            // scram on TCP for everyone; over the socket (in our folder, mode 0700) only for the harness's psql.
            await RunAsync(Path.Combine(Binaries, "initdb"),
                ["-D", postgres.DataDirectory, "-U", User, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
            File.Delete(passwordFile);
            await postgres.StartServerAsync();
            await postgres.PsqlAsync("postgres", $"CREATE DATABASE {Database}");
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fast shutdown (clients disconnected, in-flight transactions rolled back), as an operator's restart does.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        _running = false;
    }

    /// <summary>Starts the server on the same port and waits until it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        // Loopback only, the socket in our own folder (not /var/run/postgresql, which another server may own).
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}", "-c listen_addresses=127.0.0.1", $"-k {_folder}",
            "-c max_connections=200", "-c shared_buffers=64MB");
        await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", DataDirectory, "-l", LogPath, "-o", options, "-w", "-t", "60", "start"]);
        _running = true;
    }

    /// <summary>Runs SQL through psql over the unix socket; returns its output (unaligned, tuples only).</summary>
    public Task<string> PsqlAsync(string database, string sql) =>
        RunAsync("/usr/bin/psql", ["-h", _folder, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql]);

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            try
            {
                await RunAsync(Path.Combine(Binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException error)
            {
                Console.WriteLine($"  PostgreSQL did not stop: {error.Message}");
            }
            _running = false;
        }
        // The data goes; the server's log stays with the other logs of the run.
        if (File.Exists(LogPath)) File.Copy(LogPath, Path.Combine(_keepLogIn, "postgres.log"), overwrite: true);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Runs a command (as the postgres OS user when this process is root) and returns its standard output.</summary>
    private static async Task<string> RunAsync(string command, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", command }) start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = command;
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        // pg_ctl start leaves the postmaster holding the pipes it inherited unless -l redirects them (it does).
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(command)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }
        return (await output).Trim();
    }
}
