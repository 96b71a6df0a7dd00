package io.worldstream.train.mdn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.worldstream.models.mdn.MdnSpec;

/**
 * The MDN-RNN's training loss on head outputs [B, T, 482]:
 *
 * <ul>
 *   <li>mixture negative log-likelihood of z_{t+1}, per latent dimension: −log Σ_k π_k N(z; μ_k,
 *       σ_k), computed as −logsumexp_k(log π_k + log N) for stability;
 *   <li>squared error of the predicted reward;
 *   <li>binary cross-entropy of the done logit (in its stable form max(x, 0) − x·y + log(1 +
 *       e^−|x|)).
 * </ul>
 *
 * Each is averaged over the steps the mask keeps (windows shorter than T are padded); the
 * likelihood only over those the latent mask keeps too (an episode's last step has no next latent,
 * but its reward and its end are worth learning).
 */
public final class MdnLoss {

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private MdnLoss() {}

  /** Returns (total, nll per dimension, reward MSE, done BCE), each a scalar. */
  public static NDList of(NDArray head, NDArray zNext, NDArray reward, NDArray done, NDArray mask) {
    return of(head, zNext, reward, done, mask, mask);
  }

  /**
   * As {@link #of(NDArray, NDArray, NDArray, NDArray, NDArray)}, with the likelihood of z_{t+1}
   * counted only where {@code latentMask} is 1 (0 when it is 1 nowhere).
   */
  public static NDList of(
      NDArray head, NDArray zNext, NDArray reward, NDArray done, NDArray mask, NDArray latentMask) {
    long b = head.getShape().get(0);
    long t = head.getShape().get(1);
    int m = MdnSpec.MIXTURE_OUTPUTS;
    NDArray logits = head.get(":, :, 0:" + m).reshape(b, t, MdnSpec.LATENT, MdnSpec.MIXTURES);
    NDArray mu =
        head.get(":, :, " + m + ":" + 2 * m).reshape(b, t, MdnSpec.LATENT, MdnSpec.MIXTURES);
    NDArray logSigma =
        head.get(":, :, " + 2 * m + ":" + 3 * m).reshape(b, t, MdnSpec.LATENT, MdnSpec.MIXTURES);
    NDArray predictedReward = head.get(":, :, " + 3 * m);
    NDArray doneLogit = head.get(":, :, " + (3 * m + 1));

    NDArray logPi = logits.logSoftmax(3);
    NDArray standardised = zNext.expandDims(3).sub(mu).div(logSigma.exp());
    NDArray logNormal = standardised.square().mul(-0.5).sub(logSigma).sub(HALF_LOG_TWO_PI);
    NDArray logLikelihood = logSumExp(logPi.add(logNormal), 3);
    NDArray steps = mask.sum();
    NDArray nll =
        logLikelihood
            .mul(latentMask.expandDims(2))
            .sum()
            .neg()
            .div(latentMask.sum().maximum(1).mul(MdnSpec.LATENT));
    NDArray rewardMse = predictedReward.sub(reward).square().mul(mask).sum().div(steps);
    NDArray bce =
        doneLogit.maximum(0).sub(doneLogit.mul(done)).add(doneLogit.abs().neg().exp().add(1).log());
    NDArray doneBce = bce.mul(mask).sum().div(steps);
    return new NDList(nll.add(rewardMse).add(doneBce), nll, rewardMse, doneBce);
  }

  /** log Σ exp(x) along an axis, shifted by the maximum. */
  static NDArray logSumExp(NDArray x, int axis) {
    NDArray max = x.max(new int[] {axis}, true);
    return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
  }
}
