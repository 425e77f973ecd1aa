using System.Text.RegularExpressions;
using System.Xml.Linq;
using Embedded.Cli.Flashing;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;
using Embedded.Tests.Common;

namespace Embedded.Firmware.Tests;

/// <summary>`emit` output carries the exact model bytes in both formats, and the committed default model is valid.</summary>
public sealed class EmitTests
{
    [Fact]
    public void Csharp_output_holds_the_bytes_and_crc_and_stays_in_the_nanoframework_subset()
    {
        var image = RealModels.Forecaster(seed: 3);
        string code = ModelEmitter.CSharp(image, "model.bin");
        var bytes = Regex.Matches(code, @"0x([0-9A-F]{2}),").Select(m => Convert.ToByte(m.Groups[1].Value, 16)).ToArray();
        Assert.Equal(image, bytes);
        Assert.Contains("public const uint Crc = 0x" + ModelChecksum.Compute(image).ToString("X8") + ";", code);
        Assert.DoesNotContain("$\"", code);
        Assert.DoesNotContain("<byte>", code);
    }

    [Fact]
    public void Resx_output_holds_the_bytes_as_a_byte_array_resource()
    {
        var image = RealModels.Forecaster(seed: 4);
        var doc = XDocument.Parse(ModelEmitter.Resx(image));
        var data = doc.Root!.Elements("data").Single();
        Assert.Equal(ModelEmitter.ResourceName, data.Attribute("name")!.Value);
        Assert.StartsWith("System.Byte[]", data.Attribute("type")!.Value);
        Assert.Equal(image, Convert.FromBase64String(data.Element("value")!.Value));
    }

    [Fact]
    public void Emit_command_writes_the_file_and_refuses_a_corrupt_model()
    {
        string work = TestPaths.NewTempDir();
        string good = Path.Combine(work, "model.bin");
        File.WriteAllBytes(good, RealModels.Forecaster(seed: 5));
        string output = Path.Combine(work, "out", "DefaultModelData.cs");
        var ok = Cli.Run("emit", good, "--format", "csharp", "--out", output);
        Assert.True(ok.ExitCode == 0, ok.StdErr);
        Assert.Contains("DefaultModelData", File.ReadAllText(output));

        var corrupt = File.ReadAllBytes(good);
        corrupt[corrupt.Length / 2] ^= 0x20;
        string bad = Path.Combine(work, "bad.bin");
        File.WriteAllBytes(bad, corrupt);
        var refused = Cli.Run("emit", bad, "--format", "resource", "--out", Path.Combine(work, "bad.resx"));
        Assert.Equal(FlashExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("bad.bin: not a valid model", refused.StdErr);
        Assert.False(File.Exists(Path.Combine(work, "bad.resx")));
    }

    [Fact]
    public void The_default_model_compiled_into_the_firmware_passes_its_self_test()
    {
        var image = Embedded.Firmware.DefaultModelData.Image;
        Assert.NotEmpty(image);
        Assert.Equal(Embedded.Firmware.DefaultModelData.Crc, ModelChecksum.Compute(image));
        Assert.Null(new Embedded.Shared.Flashing.GoldenVectorValidator().Validate(image));
    }
}
