namespace Embedded.Tests.Common;

/// <summary>Locates the repository and the optional ../shared data folder beside it.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding Embedded.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// ../shared/data beside the repository, or EMBEDDED_SHARED_DATA; null when absent (a user's clone),
    /// in which case tests that need it skip.
    /// </summary>
    public static string? SharedData
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("EMBEDDED_SHARED_DATA");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            string candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>A file under ../shared/data, or null if the data (or that file) is absent.</summary>
    public static string? SharedFile(params string[] parts)
    {
        string? root = SharedData;
        if (root is null) return null;
        string path = Path.Combine([root, .. parts]);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A fresh empty temporary directory.</summary>
    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "embedded-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Embedded.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("Embedded.sln not found above " + AppContext.BaseDirectory);
    }
}
