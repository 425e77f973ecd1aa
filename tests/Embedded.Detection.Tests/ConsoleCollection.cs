namespace Embedded.Detection.Tests;

/// <summary>Tests that swap Console.Out/Error to read a command's output run one at a time (the console is process-wide).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
