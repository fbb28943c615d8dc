#!/usr/bin/env bash
# Deploys one image, by digest, to the platform named in DEPLOY_TARGET (a GitHub environment
# variable). Called by deploy-staging.yml and deploy-production.yml after migrations ran.
#   IMAGE_REF      ghcr.io/<owner>/entities-service@sha256:...   (required)
#   DEPLOY_TARGET  kubernetes | cloudrun | fly | railway          (required)
#   SERVICE        the service/app name on that platform          (required except kubernetes)
# Per target: KUBECONFIG_DATA (+ optional K8S_NAMESPACE); GCP_SA_KEY + GCP_REGION; FLY_API_TOKEN; RAILWAY_TOKEN.
set -euo pipefail
: "${IMAGE_REF:?IMAGE_REF is required}" "${DEPLOY_TARGET:?set the DEPLOY_TARGET variable on the GitHub environment}"
need() { [ -n "${!1:-}" ] || { echo "::error::$1 is required for DEPLOY_TARGET=$DEPLOY_TARGET"; exit 1; }; }

case "$DEPLOY_TARGET" in
  kubernetes)
    need KUBECONFIG_DATA
    export KUBECONFIG="$RUNNER_TEMP/kubeconfig"
    printf '%s' "$KUBECONFIG_DATA" > "$KUBECONFIG"
    # The namespace comes from the kubeconfig context unless K8S_NAMESPACE is set
    # (deploy/k8s/overlays use entities-staging and entities-production).
    ns=(); [ -n "${K8S_NAMESPACE:-}" ] && ns=(--namespace "$K8S_NAMESPACE")
    kubectl "${ns[@]}" set image deployment/entities-service "entities-service=$IMAGE_REF"
    # Probes on /healthz and /readyz gate the rollout; a failed rollout is undone.
    kubectl "${ns[@]}" rollout status deployment/entities-service --timeout=5m || { kubectl "${ns[@]}" rollout undo deployment/entities-service; exit 1; }
    ;;
  cloudrun)
    need GCP_SA_KEY; need GCP_REGION; need SERVICE
    printf '%s' "$GCP_SA_KEY" > "$RUNNER_TEMP/gcp.json"
    gcloud auth activate-service-account --key-file "$RUNNER_TEMP/gcp.json"
    gcloud config set project "$(node -p "require('$RUNNER_TEMP/gcp.json').project_id")"
    # Cloud Run pulls from Artifact Registry or a remote repository that mirrors GHCR.
    gcloud run deploy "$SERVICE" --image "$IMAGE_REF" --region "$GCP_REGION" --port 8000 --quiet
    ;;
  fly)
    need FLY_API_TOKEN; need SERVICE
    curl -fsSL https://fly.io/install.sh | sh
    "$HOME/.fly/bin/flyctl" deploy --app "$SERVICE" --image "$IMAGE_REF" --strategy rolling --wait-timeout 5m
    ;;
  railway)
    need RAILWAY_TOKEN; need SERVICE
    # Railway deploys the image its service source names: set that source once to the
    # environment's tag (:staging, or :latest for production), which the steps before moved to
    # this digest; a redeploy pulls it again.
    npx --yes @railway/cli@4 redeploy --service "$SERVICE" --yes
    ;;
  *)
    echo "::error::unknown DEPLOY_TARGET '$DEPLOY_TARGET' (kubernetes, cloudrun, fly, railway)"; exit 1 ;;
esac
echo "deployed $IMAGE_REF to $DEPLOY_TARGET"
