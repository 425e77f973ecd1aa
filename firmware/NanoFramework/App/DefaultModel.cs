namespace Embedded.Firmware
{
    /// <summary>
    /// The model compiled into the firmware (App/DefaultModelData.cs, written by
    /// `embedded emit model.bin --format csharp --out firmware/NanoFramework/App/DefaultModelData.cs`).
    /// </summary>
    public sealed class DefaultModel : IEmbeddedModel
    {
        public byte[] Load()
        {
            return DefaultModelData.Image;
        }
    }
}
