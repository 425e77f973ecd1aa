using System.Buffers.Binary;

namespace Embedded.Edge.Simulation;

/// <summary>
/// The factory trim parameters (datasheet table 16). T and P words are little-endian at 0x88..0x9F,
/// dig_H1 at 0xA1; dig_H4 and dig_H5 are 12-bit values sharing the nibbles of 0xE5.
/// </summary>
public sealed class Bme280Calibration
{
    public ushort DigT1 { get; init; }
    public short DigT2 { get; init; }
    public short DigT3 { get; init; }
    public ushort DigP1 { get; init; }
    public short DigP2 { get; init; }
    public short DigP3 { get; init; }
    public short DigP4 { get; init; }
    public short DigP5 { get; init; }
    public short DigP6 { get; init; }
    public short DigP7 { get; init; }
    public short DigP8 { get; init; }
    public short DigP9 { get; init; }
    public byte DigH1 { get; init; }
    public short DigH2 { get; init; }
    public byte DigH3 { get; init; }
    public short DigH4 { get; init; }
    public short DigH5 { get; init; }
    public sbyte DigH6 { get; init; }

    /// <summary>Decodes the 26 bytes read from 0x88 and the 7 bytes read from 0xE1.</summary>
    public static Bme280Calibration Parse(ReadOnlySpan<byte> from0x88, ReadOnlySpan<byte> from0xE1)
    {
        if (from0x88.Length < Bme280Constants.CalibrationTemperaturePressureLength || from0xE1.Length < Bme280Constants.CalibrationHumidityLength)
            throw new ArgumentException("BME280 calibration needs 26 bytes from 0x88 and 7 bytes from 0xE1.");
        return new Bme280Calibration
        {
            DigT1 = BinaryPrimitives.ReadUInt16LittleEndian(from0x88.Slice(0)),
            DigT2 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(2)),
            DigT3 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(4)),
            DigP1 = BinaryPrimitives.ReadUInt16LittleEndian(from0x88.Slice(6)),
            DigP2 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(8)),
            DigP3 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(10)),
            DigP4 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(12)),
            DigP5 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(14)),
            DigP6 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(16)),
            DigP7 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(18)),
            DigP8 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(20)),
            DigP9 = BinaryPrimitives.ReadInt16LittleEndian(from0x88.Slice(22)),
            // from0x88[24] is 0xA0, unused.
            DigH1 = from0x88[25],
            DigH2 = BinaryPrimitives.ReadInt16LittleEndian(from0xE1.Slice(0)),
            DigH3 = from0xE1[2],
            DigH4 = SignExtend12((from0xE1[3] << 4) | (from0xE1[4] & 0x0F)),
            DigH5 = SignExtend12((from0xE1[5] << 4) | (from0xE1[4] >> 4)),
            DigH6 = unchecked((sbyte)from0xE1[6]),
        };
    }

    /// <summary>Encodes back into the two register blocks (what a chip holds in its NVM image).</summary>
    public void Encode(Span<byte> to0x88, Span<byte> to0xE1)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(to0x88.Slice(0), DigT1);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(2), DigT2);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(4), DigT3);
        BinaryPrimitives.WriteUInt16LittleEndian(to0x88.Slice(6), DigP1);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(8), DigP2);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(10), DigP3);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(12), DigP4);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(14), DigP5);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(16), DigP6);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(18), DigP7);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(20), DigP8);
        BinaryPrimitives.WriteInt16LittleEndian(to0x88.Slice(22), DigP9);
        to0x88[24] = 0;
        to0x88[25] = DigH1;
        BinaryPrimitives.WriteInt16LittleEndian(to0xE1.Slice(0), DigH2);
        to0xE1[2] = DigH3;
        to0xE1[3] = (byte)((DigH4 >> 4) & 0xFF);
        to0xE1[4] = (byte)((DigH4 & 0x0F) | ((DigH5 & 0x0F) << 4));
        to0xE1[5] = (byte)((DigH5 >> 4) & 0xFF);
        to0xE1[6] = unchecked((byte)DigH6);
    }

    private static short SignExtend12(int value) => (short)((value & 0x800) != 0 ? value - 0x1000 : value);
}
