import type { RouteModule } from './shared/route.ts';
import { getPlacingHoldRoutes } from './placingHold/route.ts';
import { getGettingReservationRoute } from './gettingReservation/route.ts';
import { getConfirmingByVendorRoute } from './confirmingByVendor/route.ts';
import {
  getAuthorizePaymentRoute,
  getConfirmReservationRoute,
} from './authorizingPayment/route.ts';
import { getCancellingBookingRoutes } from './cancellingBooking/route.ts';
import { getChangingBookingStatusRoute } from './changingBookingStatus/route.ts';
import { getModifyingBookingRoute } from './modifyingBooking/route.ts';
import { getExtendingBookingRoute } from './extendingBooking/route.ts';
import { getRegisterResourceRoute } from './registeringResource/route.ts';
import { getChangeResourceRoute, getPutPricingRulesRoute } from './changingResource/route.ts';
import { getRetireResourceRoute } from './retiringResource/route.ts';
import { getManageSlotsRoutes } from './managingSlots/route.ts';
import { getImportBusyTimeRoute } from './importingBusyTime/route.ts';
import { getErasingPersonalDataRoute } from './erasingPersonalData/route.ts';
import type { WriteSide } from './shared/writeSide.ts';

/**
 * Every write route, for the composition root. Each use-case folder exports a
 * route factory; this list is the only place they meet.
 */
export const getWriteRoutes = (writeSide: WriteSide): RouteModule[] => {
  void writeSide;
  return [
    // ── write route factories (one line per use case) ──
    ...getPlacingHoldRoutes(writeSide),
    getGettingReservationRoute(writeSide),
    getConfirmingByVendorRoute(writeSide),
    getAuthorizePaymentRoute(writeSide),
    getConfirmReservationRoute(writeSide),
    ...getCancellingBookingRoutes(writeSide),
    getChangingBookingStatusRoute(writeSide),
    getModifyingBookingRoute(writeSide),
    getExtendingBookingRoute(writeSide),
    getRegisterResourceRoute(writeSide),
    getChangeResourceRoute(writeSide),
    getPutPricingRulesRoute(writeSide),
    getRetireResourceRoute(writeSide),
    ...getManageSlotsRoutes(writeSide),
    getImportBusyTimeRoute(writeSide),
    getErasingPersonalDataRoute(writeSide),
    // ── end of write route factories ──
  ];
};
