namespace Embedded.Trainer.Checkpoints;

/// <summary>A safetensors or checkpoint file that cannot be read; the message names the file and the problem.</summary>
public sealed class SafeTensorsFormatException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
}
