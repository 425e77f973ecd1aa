using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>The plain-loop kernel that runs everywhere, nanoFramework included.</summary>
    public sealed class PortableKernel : IKernel
    {
        public static readonly PortableKernel Instance = new PortableKernel();

        public IMatVec Create(QuantizedMatrix matrix)
        {
            if (matrix.Weights8 != null) return new PortableMatVec8(matrix.Weights8, matrix.Rows, matrix.Cols);
            return new PortableMatVec16(matrix.Weights16, matrix.Rows, matrix.Cols);
        }
    }
}
