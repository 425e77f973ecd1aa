using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// The plain-loop kernel that runs everywhere, nanoFramework included. int8 matrices are packed two
    /// rows per 64-bit word (<see cref="PortablePackedMatVec8"/>: half the operations per multiply-accumulate,
    /// 4 bytes of RAM per weight) unless the packed copy would exceed the per-matrix budget, in which case
    /// they are multiplied from the model's own bytes (<see cref="PortableMatVec8"/>). Both give the same bits.
    /// LSTM and GRU layers are fused per hidden unit for an interpreter (nanoCLR: 1.3-1.6x faster), or left as
    /// plain layers over the products for a host that compiles IL to machine code (the PC, the Pi: there the
    /// fused layers are 1.05-1.2x slower with int16 weights and 1.3-2.6x with int8; BENCHMARKS.md). Same bits either way.
    /// </summary>
    public sealed class PortableKernel : IKernel, ILayerKernel
    {
        /// <summary>Packs every int8 matrix and fuses the layers: the fastest portable form on nanoFramework with room to spare.</summary>
        public static readonly PortableKernel Instance = new PortableKernel(int.MaxValue);

        /// <summary>Packs every int8 matrix, plain layers: the fastest portable form where a JIT or AOT compiler runs the code (PC, Pi).</summary>
        public static readonly PortableKernel Compiled = new PortableKernel(int.MaxValue, false);

        /// <summary>Never packs: no RAM beyond the model image, for microcontrollers short of memory.</summary>
        public static readonly PortableKernel Compact = new PortableKernel(0);

        private readonly int _maxPackedBytesPerMatrix;
        private readonly bool _fuseLayers;

        /// <param name="maxPackedBytesPerMatrix">An int8 matrix whose packed copy would take more bytes than this
        /// is multiplied from its bytes instead.</param>
        public PortableKernel(int maxPackedBytesPerMatrix)
            : this(maxPackedBytesPerMatrix, true)
        {
        }

        /// <param name="maxPackedBytesPerMatrix">As above.</param>
        /// <param name="fuseLayers">Fuse LSTM and GRU layers per hidden unit (for an interpreter) or keep the plain layers (for compiled code).</param>
        public PortableKernel(int maxPackedBytesPerMatrix, bool fuseLayers)
        {
            _maxPackedBytesPerMatrix = maxPackedBytesPerMatrix;
            _fuseLayers = fuseLayers;
        }

        /// <summary>Whether LSTM and GRU layers are fused per hidden unit.</summary>
        public bool FusesLayers
        {
            get { return _fuseLayers; }
        }

        /// <summary>
        /// LSTM and GRU layers fused per hidden unit (<see cref="FusedPortableLstmLayer"/>, <see cref="FusedPortableGruLayer"/>:
        /// the same bits with far fewer interpreter operations and calls), when their reordered copy of each matrix
        /// (int16: 2 bytes per weight; int8: packed as above) fits the per-matrix budget; else null (the plain layers
        /// over this kernel's products, no copy of int16 weights).
        /// </summary>
        public RecurrentLayer CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden)
        {
            if (!_fuseLayers) return null;
            if (cell == CellType.Lstm) return FusedPortableLstmLayer.TryCreate(parameters, hidden, _maxPackedBytesPerMatrix);
            if (cell == CellType.Gru) return FusedPortableGruLayer.TryCreate(parameters, hidden, _maxPackedBytesPerMatrix);
            return null;
        }

        /// <summary>Bytes of RAM this kernel may spend per matrix on a packed or reordered copy.</summary>
        public int MaxBytesPerMatrix
        {
            get { return _maxPackedBytesPerMatrix; }
        }

        public IMatVec Create(QuantizedMatrix matrix)
        {
            if (matrix.Weights8 != null)
            {
                if (PortablePackedMatVec8.PackedBytes(matrix.Rows, matrix.Cols) <= _maxPackedBytesPerMatrix)
                {
                    return new PortablePackedMatVec8(matrix.Weights8, matrix.Rows, matrix.Cols);
                }
                return new PortableMatVec8(matrix.Weights8, matrix.Rows, matrix.Cols);
            }
            return new PortableMatVec16(matrix.Weights16, matrix.Rows, matrix.Cols);
        }
    }
}
