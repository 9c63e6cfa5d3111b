// One op as one portal call: the HTTP request that carries it out and what a
// successful answer means. The camera's id is looked up at send time, since a
// re-added camera gets a new one.
#pragma once

#include <string>

#include "planner/op_graph.h"
#include "portal/http_client.h"

namespace licmove {

// REQUIRES: camera_id is set for camera ops and activations.
HttpRequest BuildOpRequest(const Op& op, const std::string& account, const std::string& camera_id,
                           const std::string& idempotency_key);

// What a 2xx answer told us.
struct OpEffect {
  std::string license_key;  // activate: the key the portal assigned
  std::string camera_id;    // add_camera: the new id
};

Result<OpEffect> DecodeOpSuccess(const Op& op, const HttpResponse& response);

// "activate alarm-management on CAM-0007 (expect ...0001)": for logs and
// reports; keys masked.
std::string DescribeOpForLog(const Op& op);

// The keys an activation may end with: expect_key, and for an assign the
// interchangeable ones.
bool IsAcceptableKey(const Op& op, const std::string& key);

// "activate alarm-management on CAM-0007 (POST /api/v1/...)": how errors name
// the call and the camera.
std::string DescribeCall(const Op& op, const HttpRequest& request);

// "RUN-op17": the same for every attempt of an op, in this run and in a
// resume of it, so the portal applies it at most once.
std::string IdempotencyKeyFor(const std::string& run_id, int op);

}  // namespace licmove
