namespace Embedded.Edge.Hosting;

/// <summary>A configuration mistake found before the loop starts: reported on stderr, exit code 2.</summary>
public sealed class EdgeConfigException : Exception
{
    public EdgeConfigException(string message)
        : base(message)
    {
    }
}
