using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// The plain-loop kernel that runs everywhere, nanoFramework included. int8 matrices are packed two
    /// rows per 64-bit word (<see cref="PortablePackedMatVec8"/>: half the operations per multiply-accumulate,
    /// 4 bytes of RAM per weight) unless the packed copy would exceed the per-matrix budget, in which case
    /// they are multiplied from the model's own bytes (<see cref="PortableMatVec8"/>). Both give the same bits.
    /// </summary>
    public sealed class PortableKernel : IKernel, ILayerKernel
    {
        /// <summary>Packs every int8 matrix: the fastest portable form, for the PC, the Pi and roomy MCUs.</summary>
        public static readonly PortableKernel Instance = new PortableKernel(int.MaxValue);

        /// <summary>Never packs: no RAM beyond the model image, for microcontrollers short of memory.</summary>
        public static readonly PortableKernel Compact = new PortableKernel(0);

        private readonly int _maxPackedBytesPerMatrix;

        /// <param name="maxPackedBytesPerMatrix">An int8 matrix whose packed copy would take more bytes than this
        /// is multiplied from its bytes instead.</param>
        public PortableKernel(int maxPackedBytesPerMatrix)
        {
            _maxPackedBytesPerMatrix = maxPackedBytesPerMatrix;
        }

        /// <summary>
        /// LSTM and GRU layers fused per hidden unit (<see cref="FusedPortableLstmLayer"/>, <see cref="FusedPortableGruLayer"/>:
        /// the same bits with far fewer interpreter operations and calls), when their reordered copy of each matrix
        /// (int16: 2 bytes per weight; int8: packed as above) fits the per-matrix budget; else null (the plain layers
        /// over this kernel's products, no copy of int16 weights).
        /// </summary>
        public RecurrentLayer CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden)
        {
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
