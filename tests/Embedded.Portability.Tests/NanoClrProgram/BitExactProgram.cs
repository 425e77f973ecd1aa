namespace Embedded.BitExact
{
    /// <summary>
    /// Compiled twice from the same sources, for nanoCLR and for .NET; the test requires identical output.
    /// Main is wrapped in try/catch and ends with a marker: an unhandled exception can end nanoCLR's
    /// output silently, so a missing END line is how a crash shows.
    /// </summary>
    public static class BitExactProgram
    {
        public static void Main()
        {
            try
            {
                string[] names = ProgramModels.Names;
                for (int i = 0; i < names.Length; i++)
                {
                    ModelStream.Run(names[i], ProgramModels.Image(i), ProgramModels.Steps);
                }
                if (ProgramModels.Firmware) FirmwareScenario.Run(ProgramModels.UpdateImage());
            }
            catch (System.Exception e)
            {
                Out.Line("EXCEPTION " + e.GetType().FullName + ": " + e.Message);
            }
            Out.Line("END");
        }
    }
}
