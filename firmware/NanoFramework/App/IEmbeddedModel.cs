namespace Embedded.Firmware
{
    /// <summary>The model compiled into the firmware, used when internal flash holds no valid one.</summary>
    public interface IEmbeddedModel
    {
        /// <summary>The image bytes, or an empty array when the firmware was built without one.</summary>
        byte[] Load();
    }
}
