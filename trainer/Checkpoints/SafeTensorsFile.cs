using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Checkpoints;

/// <summary>
/// Reader and writer for the safetensors format (8-byte little-endian header length, a JSON header of
/// name -> {dtype, shape, data_offsets} plus optional "__metadata__" strings, then the raw little-endian data).
/// Reads F64, F32, F16 and BF16 into doubles; writes F64 or F32. Writes go to a temporary file then rename.
/// </summary>
public static class SafeTensorsFile
{
    public sealed class Contents
    {
        public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);
    }

    public static Contents Read(string path)
    {
        if (!File.Exists(path)) throw new SafeTensorsFormatException(path, "file not found");
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    public static Contents Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 8) throw new SafeTensorsFormatException(name, "shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new SafeTensorsFormatException(name, $"header length {headerLength} runs past the end of the file ({bytes.Length} bytes)");
        long dataStart = 8 + (long)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))?.AsObject()
                ?? throw new SafeTensorsFormatException(name, "header is not a JSON object");
        }
        catch (JsonException e) { throw new SafeTensorsFormatException(name, "header is not valid JSON: " + e.Message); }
        catch (InvalidOperationException e) { throw new SafeTensorsFormatException(name, "header is not a JSON object: " + e.Message); }

        var contents = new Contents();
        foreach (var (key, node) in header)
        {
            if (key == "__metadata__")
            {
                if (node is JsonObject meta)
                    foreach (var (mk, mv) in meta) contents.Metadata[mk] = mv?.GetValue<string>() ?? "";
                continue;
            }
            if (node is not JsonObject entry) throw new SafeTensorsFormatException(name, $"tensor '{key}': entry is not an object");
            string dtype = entry["dtype"]?.GetValue<string>() ?? throw new SafeTensorsFormatException(name, $"tensor '{key}': no dtype");
            int[] shape = entry["shape"]?.AsArray().Select(n => n!.GetValue<int>()).ToArray() ?? throw new SafeTensorsFormatException(name, $"tensor '{key}': no shape");
            var offsets = entry["data_offsets"]?.AsArray().Select(n => n!.GetValue<long>()).ToArray();
            if (offsets is not { Length: 2 }) throw new SafeTensorsFormatException(name, $"tensor '{key}': data_offsets must have two numbers");
            long count = 1;
            foreach (int d in shape)
            {
                if (d < 0) throw new SafeTensorsFormatException(name, $"tensor '{key}': negative dimension");
                count *= d;
            }
            int width = dtype switch { "F64" => 8, "F32" => 4, "F16" => 2, "BF16" => 2, _ => throw new SafeTensorsFormatException(name, $"tensor '{key}': unsupported dtype {dtype} (F64, F32, F16, BF16 are read)") };
            if (offsets[1] - offsets[0] != count * width || offsets[0] < 0 || dataStart + offsets[1] > bytes.Length)
                throw new SafeTensorsFormatException(name, $"tensor '{key}': data_offsets [{offsets[0]}, {offsets[1]}] do not fit shape [{string.Join(",", shape)}] of {dtype} in the file");
            var data = new double[count];
            var span = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(count * width));
            for (int i = 0; i < count; i++)
            {
                data[i] = dtype switch
                {
                    "F64" => BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]),
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]),
                    "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(span[(i * 2)..]),
                    _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 2)..]) << 16),
                };
            }
            contents.Tensors[key] = new Tensor(shape.Length == 0 ? [] : shape, data);
        }
        return contents;
    }

    /// <summary>Writes tensors (sorted by name) as F64 or F32, atomically (temporary file, then rename).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null, bool asFloat32 = false)
    {
        var ordered = tensors.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        int width = asFloat32 ? 4 : 8;
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (key, tensor) in ordered)
        {
            long size = (long)tensor.Data.Length * width;
            header[key] = new JsonObject
            {
                ["dtype"] = asFloat32 ? "F32" : "F64",
                ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (headerBytes.Length + 7) / 8 * 8;   // keep the data 8-byte aligned, padding with spaces
        var output = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        headerBytes.CopyTo(output, 8);
        for (int i = 8 + headerBytes.Length; i < 8 + padded; i++) output[i] = (byte)' ';
        long at = 8 + padded;
        foreach (var (_, tensor) in ordered)
        {
            foreach (double v in tensor.Data)
            {
                if (asFloat32) BinaryPrimitives.WriteSingleLittleEndian(output.AsSpan((int)at), (float)v);
                else BinaryPrimitives.WriteDoubleLittleEndian(output.AsSpan((int)at), v);
                at += width;
            }
        }
        AtomicFile.WriteAllBytes(path, output);
    }
}
