using Embedded.Shared.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>Serialises a <see cref="ModelContent"/> into the binary format of docs/FORMAT.md (the inverse of ModelImage.Parse).</summary>
public static class ModelWriter
{
    public static byte[] Write(ModelContent m)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream); // BinaryWriter is little-endian on every platform
        bool symbols = m.Task == TaskKind.NextSymbol;
        w.Write(ModelFormat.Magic);
        w.Write((ushort)ModelFormat.Version);
        w.Write((ushort)ModelFormat.HeaderSize);
        w.Write(0); // total length, patched below
        w.Write((byte)m.Cell);
        w.Write((byte)m.Task);
        w.Write((byte)m.WeightBits);
        w.Write((byte)m.Layers.Length);
        w.Write((ushort)m.InputCount);
        w.Write((ushort)m.HiddenSize);
        w.Write((ushort)m.OutputCount);
        w.Write((byte)m.InputFracBits);
        w.Write((byte)m.OutputFracBits);
        w.Write((byte)m.NormalisedFracBits);
        bool changes = m.ChangeOutputs.Length > 0;
        w.Write((byte)(changes ? 1 : 0));
        w.Write((ushort)m.Vocabulary.Length);
        w.Write(m.SamplePeriodMs);
        w.Write(m.DetectorSection.Length);
        w.Write((ushort)m.GoldenSteps);
        w.Write((ushort)0);
        w.Write(0);
        w.Write(0);
        if (stream.Position != ModelFormat.HeaderSize) throw new InvalidOperationException("header layout drifted from ModelFormat.HeaderSize");

        if (!symbols)
        {
            for (int i = 0; i < m.InputCount; i++)
            {
                w.Write(m.InputMeans[i]);
                w.Write((ushort)m.InputMultipliers[i]);
                w.Write((byte)m.InputShifts[i]);
                w.Write((byte)0);
            }
        }
        foreach (char c in m.Vocabulary) w.Write((ushort)c);
        foreach (var layer in m.Layers)
        {
            WriteMatrix(w, layer.Input);
            WriteMatrix(w, layer.Recurrent);
            foreach (int b in layer.InputBias) w.Write(b);
            foreach (int b in layer.RecurrentBias) w.Write(b);
        }
        WriteMatrix(w, m.Head);
        foreach (int b in m.HeadOffsets) w.Write(b);
        if (changes) foreach (bool change in m.ChangeOutputs) w.Write((byte)(change ? 1 : 0));
        w.Write(m.DetectorSection);
        int steps = m.GoldenSteps;
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < m.InputCount; i++) w.Write(m.GoldenInputs[s * m.InputCount + i]);
            for (int o = 0; o < m.OutputCount; o++) w.Write(m.GoldenOutputs[s * m.OutputCount + o]);
        }
        w.Flush();
        int length = (int)stream.Length + ModelFormat.CrcSize;
        byte[] image = new byte[length];
        stream.ToArray().CopyTo(image, 0);
        BitConverter.TryWriteBytes(image.AsSpan(8, 4), length);
        uint crc = Crc32.Compute(image, 0, length - ModelFormat.CrcSize);
        BitConverter.TryWriteBytes(image.AsSpan(length - 4, 4), crc);
        return image;
    }

    private static void WriteMatrix(BinaryWriter w, QuantizedMatrix matrix)
    {
        for (int r = 0; r < matrix.Rows; r++)
        {
            w.Write((ushort)matrix.Multipliers[r]);
            w.Write((byte)matrix.Shifts[r]);
            w.Write((byte)0);
        }
        if (matrix.Weights8 != null)
        {
            foreach (sbyte v in matrix.Weights8) w.Write(v);
        }
        else
        {
            foreach (short v in matrix.Weights16) w.Write(v);
        }
    }
}
