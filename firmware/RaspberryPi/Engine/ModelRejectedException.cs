namespace Embedded.Edge.Engine;

/// <summary>A model file that must not replace the running one: unreadable, corrupt, or failing its self-test.</summary>
public sealed class ModelRejectedException : Exception
{
    public ModelRejectedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
