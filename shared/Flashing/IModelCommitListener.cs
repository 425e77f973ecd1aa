namespace Embedded.Shared.Flashing
{
    /// <summary>Told when a received model has been verified and installed, so the app can switch to it.</summary>
    public interface IModelCommitListener
    {
        void OnModelCommitted(byte[] image);
    }
}
