using System.Runtime.Intrinsics;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Tests;

/// <summary>The vector exp behind the fused LSTM pass: ~1e-7 relative in float, ~1e-15 in double, clamped at the ends.</summary>
public class FastExpTests
{
    [Fact]
    public void FloatExpIsAccurateToAFewUlp()
    {
        double worst = 0;
        for (float x = -80f; x <= 80f; x += 0.0137f)
        {
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(FastExp.Exp(Vector512.Create(x))[0] - expected) / expected);
            worst = Math.Max(worst, Math.Abs(FastExp.Exp(Vector256.Create(x))[0] - expected) / expected);
        }
        Assert.True(worst < 3e-7, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void DoubleExpIsAccurateToAFewUlp()
    {
        double worst = 0;
        for (double x = -700; x <= 700; x += 0.0731)
        {
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(FastExp.Exp(Vector512.Create(x))[0] - expected) / expected);
            worst = Math.Max(worst, Math.Abs(FastExp.Exp(Vector256.Create(x))[0] - expected) / expected);
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void ExtremeInputsStayFinite()
    {
        foreach (float x in new[] { -1e30f, -100f, 100f, 1e30f, float.NegativeInfinity, float.PositiveInfinity })
        {
            float y = FastExp.Exp(Vector512.Create(x))[0];
            Assert.True(float.IsFinite(y) && y >= 0, $"exp({x}) = {y}");
        }
        Assert.True(FastExp.Exp(Vector512.Create(-1e30f))[0] < 1e-37f);
        Assert.True(FastExp.Exp(Vector512.Create(1e30f))[0] > 1e38f);
    }
}
