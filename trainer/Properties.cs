// The kernel tests check Blas (internal) against a naive product directly.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Trainer.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Bench")]
