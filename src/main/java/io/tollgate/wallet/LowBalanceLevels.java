package io.tollgate.wallet;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The low-balance alert levels of wallets, kept by the alert feature (which implements this), so that a wallet answer
 * can say whether its balance is low in the same sense as the alerts it sends, without the wallet feature reading the
 * alert feature's storage.
 */
public interface LowBalanceLevels {
    /** Levels per wallet, for the given wallets of one tenant; a wallet without levels may be absent from the map. */
    Uni<Map<String, List<Long>>> levelsOf(String tenantId, Collection<String> walletIds);
}
