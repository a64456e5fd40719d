/*
 * The output shaper, the seed's token bucket: the load drains at
 * speed/8000 bytes per ms; after more than a second idle it starts again
 * from 0; a packet is dropped (and counted) when the load before it
 * already exceeds the burst, max(delay * speed / 8000, MTU).
 */
#include "core.h"

uint64_t
ipifc_shaper_burst(const struct ipifc_ifc *ifc)
{
	uint64_t b = (uint64_t)ifc->delay * ifc->speed / 8000;

	return b > (uint64_t)ifc->mtu ? b : (uint64_t)ifc->mtu;
}

/*
 * The load is kept in bytes * 8000 (bit-milliseconds), so that what
 * drains in a millisecond, speed/8000 bytes, loses no fraction.
 */
int
ipifc_shaper_admit(struct ipifc_ifc *ifc, size_t len)
{
	uint64_t now = ifc->stack->now, idle, drained;

	if (ifc->speed == 0)
		return 1;
	idle = now - ifc->lastsend;
	if (idle > 1000)
		ifc->load = 0;
	else {
		drained = idle * ifc->speed;
		ifc->load = ifc->load > drained ? ifc->load - drained : 0;
	}
	ifc->lastsend = now;
	if (ifc->load > ipifc_shaper_burst(ifc) * 8000) {
		ifc->drops_shaper++;
		return 0;
	}
	ifc->load += (uint64_t)len * 8000;
	return 1;
}

/* A new speed starts from an empty bucket, as plan9's ipifc does. */
void
ipifc_shaper_speed(struct ipifc_ifc *ifc, uint64_t speed)
{
	ifc->speed = speed;
	ifc->load = 0;
	ifc->lastsend = ifc->stack->now;
}
