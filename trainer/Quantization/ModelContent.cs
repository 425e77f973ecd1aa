using Embedded.Shared.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>Everything a model image holds, in integer form, before <see cref="ModelWriter"/> serialises it.</summary>
public sealed class ModelContent
{
    public CellType Cell { get; set; }
    public TaskKind Task { get; set; }
    public int WeightBits { get; set; }
    /// <summary>Values per Step (1 for NextSymbol).</summary>
    public int InputCount { get; set; }
    public int HiddenSize { get; set; }
    public int OutputCount { get; set; }
    public int InputFracBits { get; set; }
    public int OutputFracBits { get; set; }
    public int NormalisedFracBits { get; set; }
    /// <summary>Per output: the head gives the change that the runtime adds to the input (ModelImage.ChangeOutputs); empty = none (header byte 25 = 0).</summary>
    public bool[] ChangeOutputs { get; set; } = [];
    public int SamplePeriodMs { get; set; }
    public char[] Vocabulary { get; set; } = [];
    public int[] InputMeans { get; set; } = [];
    public int[] InputMultipliers { get; set; } = [];
    public int[] InputShifts { get; set; } = [];
    public RecurrentLayerParameters[] Layers { get; set; } = [];
    public QuantizedMatrix Head { get; set; } = null!;
    public int[] HeadOffsets { get; set; } = [];
    public byte[] DetectorSection { get; set; } = [];
    /// <summary>Golden steps: inputs (steps * InputCount) and expected outputs (steps * OutputCount).</summary>
    public int[] GoldenInputs { get; set; } = [];
    public int[] GoldenOutputs { get; set; } = [];
    public int GoldenSteps => InputCount == 0 ? 0 : GoldenInputs.Length / InputCount;
}
