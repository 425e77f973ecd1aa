using System;

namespace Embedded.Shared.Model
{
    /// <summary>
    /// The one exception type a bad model image produces: names the field and the byte offset where
    /// reading stopped. Nothing else is thrown by <see cref="ModelImage.Parse"/>.
    /// </summary>
    public class ModelFormatException : Exception
    {
        public ModelFormatException(string message, int offset)
            : base(message + " (at byte " + offset.ToString() + ")")
        {
            Offset = offset;
        }

        /// <summary>Byte offset in the image where the problem was found.</summary>
        public int Offset { get; }
    }
}
