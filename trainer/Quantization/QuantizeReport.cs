using System.Text.Json;
using System.Text.Json.Serialization;

namespace Embedded.Trainer.Quantization;

/// <summary>What quantisation cost, as printed and written to model.bin.report.json.</summary>
public sealed class QuantizeReport
{
    [JsonPropertyName("size_bytes")] public int SizeBytes { get; init; }
    [JsonPropertyName("parameter_bytes")] public int ParameterBytes { get; init; }
    [JsonPropertyName("golden_bytes")] public int GoldenBytes { get; init; }
    [JsonPropertyName("bits")] public int Bits { get; init; }
    [JsonPropertyName("cell")] public string Cell { get; init; } = "";
    [JsonPropertyName("task")] public string Task { get; init; } = "";
    [JsonPropertyName("calibration_rows")] public int CalibrationRows { get; init; }
    [JsonPropertyName("input_frac_bits")] public int InputFracBits { get; init; }
    [JsonPropertyName("output_frac_bits")] public int OutputFracBits { get; init; }
    [JsonPropertyName("normalised_frac_bits")] public int NormalisedFracBits { get; init; }
    /// <summary>RMS difference between fixed-point and float outputs (output units).</summary>
    [JsonPropertyName("rmse_vs_float")] public double RmseVsFloat { get; init; }
    [JsonPropertyName("max_abs_vs_float")] public double MaxAbsVsFloat { get; init; }
    /// <summary>Forecast error of the fixed-point model against the true targets (null when there are none).</summary>
    [JsonPropertyName("rmse_fixed")] public double? RmseFixed { get; init; }
    [JsonPropertyName("rmse_float")] public double? RmseFloat { get; init; }
    [JsonPropertyName("detector_bytes")] public int DetectorBytes { get; init; }
    [JsonPropertyName("crc32")] public string Crc32 { get; init; } = "";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Indented);
}
