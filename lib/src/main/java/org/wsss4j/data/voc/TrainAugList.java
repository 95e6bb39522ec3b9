package org.wsss4j.data.voc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code train_aug} id list of VOC 2012 + SBD, the training set of every WSSS paper here:
 *
 * <pre>
 *   train_aug = (SBD train ∪ SBD val ∪ VOC train) − VOC val
 * </pre>
 *
 * SBD's own train/val split differs from VOC's (some SBD train images are VOC val images), so all of
 * SBD is taken and every VOC val image removed, which keeps val held out. With the released lists
 * (SBD train 8,498, SBD val 2,857, VOC train 1,464, VOC val 1,449) this gives the standard 10,582 ids.
 * The result is sorted (VOC ids sort by year, then number).
 */
public final class TrainAugList {
    private TrainAugList() {}

    public static List<String> compute(
            Collection<String> sbdTrain,
            Collection<String> sbdVal,
            Collection<String> vocTrain,
            Collection<String> vocVal) {
        Set<String> ids = new TreeSet<>(sbdTrain);
        ids.addAll(sbdVal);
        ids.addAll(vocTrain);
        ids.removeAll(new LinkedHashSet<>(vocVal));
        return new ArrayList<>(ids);
    }
}
